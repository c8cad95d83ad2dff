package dev.airseal.signing.pkcs11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airseal.signing.SignatureAlgorithm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Keys made in and used from a SoftHSM2 token; runs in a child JVM, see {@link SoftHsm}. */
@ExtendWith(SoftHsm.class)
class Pkcs11SignerTest {
  private static final byte[] MESSAGE = "hello, transparency".getBytes(StandardCharsets.UTF_8);

  @Test
  void generate_p256_signsDerEcdsaThatTheExportedKeyVerifies() throws Exception {
    Pkcs11Signer signer =
        Pkcs11Signer.generate(SoftHsm.uri("object=p256"), SignatureAlgorithm.PKIX_ECDSA_P256_SHA_256);
    assertThat(signer.algorithm()).isEqualTo(SignatureAlgorithm.PKIX_ECDSA_P256_SHA_256);

    byte[] sig = signer.sign(MESSAGE);
    ASN1Sequence der = ASN1Sequence.getInstance(sig); // throws unless DER SEQUENCE { r, s }
    assertThat(der.size()).isEqualTo(2);
    assertThat(der.getObjectAt(0)).isInstanceOf(ASN1Integer.class);
    assertThat(verify("SHA256withECDSA", null, exported(signer.publicKey()), sig)).isTrue();

    // The key persists in the token and opens by URI alone.
    Pkcs11Signer reopened = Pkcs11Signer.open(SoftHsm.uri("object=p256"));
    assertThat(reopened.publicKey().getEncoded()).isEqualTo(signer.publicKey().getEncoded());
    assertThat(verify("SHA256withECDSA", null, signer.publicKey(), reopened.sign(MESSAGE))).isTrue();
  }

  @Test
  void generate_p384_signsSha384() throws Exception {
    Pkcs11Signer signer =
        Pkcs11Signer.generate(SoftHsm.uri("object=p384"), SignatureAlgorithm.PKIX_ECDSA_P384_SHA_384);
    assertThat(verify("SHA384withECDSA", null, exported(signer.publicKey()), signer.sign(MESSAGE))).isTrue();
    assertThat(verify("SHA256withECDSA", null, signer.publicKey(), signer.sign(MESSAGE))).isFalse();
  }

  @Test
  void generate_rsa2048_signsPkcs1AndPss() throws Exception {
    Pkcs11Signer signer =
        Pkcs11Signer.generate(SoftHsm.uri("object=rsa2048"), SignatureAlgorithm.PKIX_RSA_PKCS1V15_2048_SHA256);
    PublicKey pub = exported(signer.publicKey());
    assertThat(verify("SHA256withRSA", null, pub, signer.sign(MESSAGE))).isTrue();

    Pkcs11Signer pss = Pkcs11Signer.open(SoftHsm.uri("object=rsa2048"), true);
    assertThat(pss.algorithm()).isEqualTo(SignatureAlgorithm.PKIX_RSA_PSS_2048_SHA256);
    PSSParameterSpec spec = new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1);
    assertThat(verify("RSASSA-PSS", spec, pub, pss.sign(MESSAGE))).isTrue();
    assertThat(verify("SHA256withRSA", null, pub, pss.sign(MESSAGE))).isFalse();
  }

  @Test
  void generate_makesSensitiveNonExtractableSignOnlyKey() throws Exception {
    Pkcs11Signer.generate(SoftHsm.uri("object=locked-in"), SignatureAlgorithm.PKIX_ECDSA_P256_SHA_256);

    Pkcs11Token token = Pkcs11Token.open(SoftHsm.uri("object=locked-in"), Map.of(), "");
    Key key = token.keyStore.getKey("locked-in", null);
    assertThat(key).isInstanceOf(PrivateKey.class);
    assertThat(key.getEncoded()).as("PKCS#8 export").isNull();
    assertThat(key.toString()).contains("token object", "sensitive", "unextractable");
    assertThatThrownBy(
            () -> KeyFactory.getInstance("EC", token.provider).getKeySpec(key, ECPrivateKeySpec.class))
        .as("reading the private value")
        .isNotNull();

    // A second PKCS#11 client reads the attributes the token itself holds.
    Path tool = Path.of("/usr/bin/pkcs11-tool");
    if (Files.isExecutable(tool)) {
      Process p =
          new ProcessBuilder(tool.toString(), "--module", SoftHsm.MODULE, "--token-label", SoftHsm.TOKEN,
                  "--login", "--pin", SoftHsm.PIN, "--list-objects", "--type", "privkey", "--label", "locked-in")
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor()).as(out).isZero();
      assertThat(out)
          .contains("label:      locked-in")
          .contains("ID:         6c6f636b65642d696e") // "locked-in": SunPKCS11 keeps CKA_ID = alias
          .contains("Usage:      sign")
          .doesNotContain("decrypt")
          .contains("sensitive, always sensitive, never extractable");
    }
  }

  @Test
  void generate_refusesToReplaceAKey() {
    Pkcs11Signer.generate(SoftHsm.uri("object=once"), SignatureAlgorithm.PKIX_ECDSA_P256_SHA_256);
    assertThatThrownBy(
            () -> Pkcs11Signer.generate(SoftHsm.uri("object=once"), SignatureAlgorithm.PKIX_ECDSA_P256_SHA_256))
        .isInstanceOf(Pkcs11Exception.class)
        .hasMessage("token 'test' already holds 'once'; refusing to replace it");
  }

  @Test
  void open_byIdWithoutObject_findsTheKeySunPkcs11Stored() {
    Pkcs11Signer made =
        Pkcs11Signer.generate(SoftHsm.uri("object=by-id"), SignatureAlgorithm.PKIX_ECDSA_P256_SHA_256);
    Pkcs11Signer byId = Pkcs11Signer.open(SoftHsm.uri("id=%62%79%2d%69%64"));
    assertThat(byId.publicKey()).isEqualTo(made.publicKey());
  }

  @Test
  void open_missingObject_namesWhatTheTokenHolds() {
    Pkcs11Signer.generate(SoftHsm.uri("object=present"), SignatureAlgorithm.PKIX_ECDSA_P256_SHA_256);
    assertThatThrownBy(() -> Pkcs11Signer.open(SoftHsm.uri("object=absent")))
        .isInstanceOf(Pkcs11Exception.class)
        .hasMessageStartingWith("token 'test' holds no private key 'absent'; it holds: ")
        .hasMessageContaining("present: EC 256 bits, private key + certificate");
  }

  @Test
  void open_missingToken_namesTheTokens() {
    assertThatThrownBy(
            () -> Pkcs11Signer.open(Pkcs11Uri.parse(SoftHsm.uriText("nope", "object=k", SoftHsm.PIN))))
        .isInstanceOf(Pkcs11Exception.class)
        .hasMessage(
            "no PKCS#11 token 'nope' in " + SoftHsm.MODULE + "; tokens: 'spare', 'test', 1 uninitialised");
  }

  @Test
  void list_showsKeysWithTypeAndSize() {
    Pkcs11Signer.generate(SoftHsm.uri("object=listed-ec"), SignatureAlgorithm.PKIX_ECDSA_P256_SHA_256);
    Pkcs11Signer.generate(SoftHsm.uri("object=listed-rsa"), SignatureAlgorithm.PKIX_RSA_PKCS1V15_2048_SHA256);
    List<Pkcs11Entry> entries = Pkcs11Signer.list(SoftHsm.uri(""));
    assertThat(entries)
        .contains(
            new Pkcs11Entry("listed-ec", "EC", 256, true, true),
            new Pkcs11Entry("listed-rsa", "RSA", 2048, true, true));
  }

  @Test
  void sign_isThreadSafe() throws Exception {
    Pkcs11Signer signer =
        Pkcs11Signer.generate(SoftHsm.uri("object=shared"), SignatureAlgorithm.PKIX_ECDSA_P256_SHA_256);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        byte[] message = ("message " + i).getBytes(StandardCharsets.UTF_8);
        results.add(
            pool.submit(() -> verify("SHA256withECDSA", null, signer.publicKey(), message, signer.sign(message))));
      }
      for (Future<Boolean> r : results) {
        assertThat(r.get()).isTrue();
      }
    } finally {
      pool.shutdown();
    }
  }

  /** The public key as a verifier outside the token would hold it. */
  private static PublicKey exported(PublicKey key) throws Exception {
    return KeyFactory.getInstance(key.getAlgorithm())
        .generatePublic(new java.security.spec.X509EncodedKeySpec(key.getEncoded()));
  }

  private static boolean verify(String alg, PSSParameterSpec spec, PublicKey key, byte[] sig) throws Exception {
    return verify(alg, spec, key, MESSAGE, sig);
  }

  private static boolean verify(String alg, PSSParameterSpec spec, PublicKey key, byte[] message, byte[] sig)
      throws Exception {
    Signature v = Signature.getInstance(alg);
    if (spec != null) {
      v.setParameter(spec);
    }
    v.initVerify(key);
    v.update(message);
    return v.verify(sig);
  }
}
