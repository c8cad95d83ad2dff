package dev.airseal.signing.pkcs11;

import dev.airseal.signing.SignatureAlgorithm;
import dev.airseal.signing.Signer;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.ProviderException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;

/**
 * A key inside a PKCS#11 token, used through the JDK's SunPKCS11 provider. The private key never
 * leaves the token; keys made by {@link #generate} are sensitive and not extractable.
 *
 * <p>SunPKCS11 sees a private key only through the certificate stored with the same CKA_ID, so
 * every key has a (self-signed) certificate, and {@code object=} is the certificate's label, which
 * SunPKCS11 uses as the KeyStore alias. SunPKCS11 does not reveal CKA_ID: {@code id=} selects a key
 * only without {@code object=}, as the UTF-8 text of the alias (how SunPKCS11 sets CKA_ID for keys
 * it stores).
 *
 * <p>Thread-safe: SunPKCS11 pools sessions, and each signature uses its own {@link Signature}.
 */
public final class Pkcs11Signer implements Signer {
  private static final SecureRandom RANDOM = new SecureRandom();
  // RFC 5280 4.1.2.5: 99991231235959Z means the certificate has no well-defined expiration; it only
  // carries the public key for SunPKCS11 and is not a statement about anything.
  private static final Date NO_EXPIRY = Date.from(Instant.parse("9999-12-31T23:59:59Z"));

  private final Pkcs11Token token;
  private final String label;
  private final PrivateKey privateKey;
  private final X509Certificate certificate;
  private final SignatureAlgorithm algorithm;

  private Pkcs11Signer(Pkcs11Token token, String label, boolean pss) {
    this.token = token;
    this.label = label;
    try {
      KeyStore ks = token.keyStore;
      Key key = ks.isKeyEntry(label) ? ks.getKey(label, null) : null;
      if (!(key instanceof PrivateKey pk)) {
        throw new Pkcs11Exception(
            "token '" + token.label + "' holds no private key '" + label + "'; it holds: "
                + describe(entries(token)));
      }
      this.privateKey = pk;
      this.certificate = (X509Certificate) ks.getCertificate(label);
      this.algorithm = SignatureAlgorithm.forKey(certificate.getPublicKey(), pss);
    } catch (GeneralSecurityException e) {
      throw new Pkcs11Exception(
          "cannot read key '" + label + "' on token '" + token.label + "': "
              + Pkcs11Token.rootMessage(e),
          e);
    } catch (IllegalArgumentException e) {
      throw new Pkcs11Exception("key '" + label + "' on token '" + token.label + "': " + e.getMessage(), e);
    }
    selfTest();
  }

  /** Opens the key the URI names; RSA keys sign PKCS#1 v1.5. */
  public static Pkcs11Signer open(Pkcs11Uri uri) {
    return open(uri, false, System.getenv());
  }

  /** Opens the key the URI names; RSA keys sign RSASSA-PSS if {@code pss}. */
  public static Pkcs11Signer open(Pkcs11Uri uri, boolean pss) {
    return open(uri, pss, System.getenv());
  }

  static Pkcs11Signer open(Pkcs11Uri uri, boolean pss, Map<String, String> env) {
    String label = requireLabel(uri);
    return new Pkcs11Signer(Pkcs11Token.open(uri, env, ""), label, pss);
  }

  /**
   * Generates a key pair inside the token, labelled {@code object=}: the private key is a token
   * object, private, sensitive and not extractable, for signing only; a self-signed certificate
   * with the same label and CKA_ID makes it visible to SunPKCS11. Refuses to replace a key.
   */
  public static Pkcs11Signer generate(Pkcs11Uri uri, SignatureAlgorithm algorithm) {
    return generate(uri, algorithm, System.getenv());
  }

  static Pkcs11Signer generate(Pkcs11Uri uri, SignatureAlgorithm algorithm, Map<String, String> env) {
    String label = requireLabel(uri);
    byte[] id = label.getBytes(StandardCharsets.UTF_8);
    if (uri.id().isPresent() && !Arrays.equals(uri.id().get(), id)) {
      throw new Pkcs11Exception(
          "cannot generate with id=" + Pkcs11Uri.hex(uri.id().get()) + ": SunPKCS11 sets CKA_ID to"
              + " the label's bytes (" + Pkcs11Uri.hex(id) + "); leave id= out");
    }
    if (algorithm == SignatureAlgorithm.PKIX_ED25519) {
      throw new Pkcs11Exception("SunPKCS11 on Java 17 cannot generate Ed25519 keys; use EC or RSA");
    }
    String hexId = Pkcs11Uri.hex(id);
    // Templates for this generation only: the provider that carries them is used for nothing else.
    String templates =
        "attributes(generate, *, *) = {\n  CKA_TOKEN = true\n  CKA_LABEL = 0h" + hexId
            + "\n  CKA_ID = 0h" + hexId + "\n}\n"
            + "attributes(generate, CKO_PRIVATE_KEY, *) = {\n  CKA_PRIVATE = true\n"
            + "  CKA_SENSITIVE = true\n  CKA_EXTRACTABLE = false\n  CKA_SIGN = true\n"
            + "  CKA_DECRYPT = false\n  CKA_UNWRAP = false\n}\n"
            + "attributes(generate, CKO_PUBLIC_KEY, *) = {\n  CKA_VERIFY = true\n"
            + "  CKA_ENCRYPT = false\n  CKA_WRAP = false\n}\n";
    Pkcs11Token token = Pkcs11Token.open(uri, env, templates);
    if (token.aliases().contains(label)) {
      throw new Pkcs11Exception(
          "token '" + token.label + "' already holds '" + label + "'; refusing to replace it");
    }
    KeyPair pair;
    try {
      KeyPairGenerator generator;
      if (algorithm.isEcdsa()) {
        generator = KeyPairGenerator.getInstance("EC", token.provider);
        generator.initialize(
            new ECGenParameterSpec(
                algorithm == SignatureAlgorithm.PKIX_ECDSA_P256_SHA_256 ? "secp256r1" : "secp384r1"));
      } else {
        generator = KeyPairGenerator.getInstance("RSA", token.provider);
        generator.initialize(new RSAKeyGenParameterSpec(rsaBits(algorithm), RSAKeyGenParameterSpec.F4));
      }
      pair = generator.generateKeyPair();
    } catch (GeneralSecurityException | ProviderException e) {
      throw new Pkcs11Exception(
          "cannot generate " + algorithm + " on token '" + token.label + "': "
              + Pkcs11Token.rootMessage(e),
          e);
    }
    try {
      X509Certificate cert = selfSigned(token.provider, pair, algorithm, label);
      token.keyStore.setKeyEntry(label, pair.getPrivate(), null, new Certificate[] {cert});
    } catch (GeneralSecurityException | ProviderException | IllegalStateException e) {
      throw new Pkcs11Exception(
          "generated a key pair labelled '" + label + "' on token '" + token.label + "' but could"
              + " not store its certificate (" + Pkcs11Token.rootMessage(e) + "); the key is"
              + " invisible to Airseal: delete it with pkcs11-tool --delete-object --label " + label,
          e);
    }
    return new Pkcs11Signer(token, label, algorithm.isPss());
  }

  /**
   * What the token holds, as SunPKCS11 sees it: keys with their certificate, lone certificates,
   * secret keys. A private key stored without a certificate is invisible to SunPKCS11.
   */
  public static List<Pkcs11Entry> list(Pkcs11Uri uri) {
    return list(uri, System.getenv());
  }

  static List<Pkcs11Entry> list(Pkcs11Uri uri, Map<String, String> env) {
    return entries(Pkcs11Token.open(uri, env, ""));
  }

  private static List<Pkcs11Entry> entries(Pkcs11Token token) {
    List<Pkcs11Entry> entries = new ArrayList<>();
    for (String alias : token.aliases()) {
      try {
        KeyStore ks = token.keyStore;
        Certificate cert = ks.getCertificate(alias);
        if (cert != null) {
          PublicKey pub = cert.getPublicKey();
          int bits =
              pub instanceof ECPublicKey ec
                  ? ec.getParams().getCurve().getField().getFieldSize()
                  : pub instanceof RSAPublicKey rsa ? rsa.getModulus().bitLength() : 0;
          entries.add(new Pkcs11Entry(alias, pub.getAlgorithm(), bits, ks.isKeyEntry(alias), true));
        } else {
          Key key = ks.getKey(alias, null);
          entries.add(new Pkcs11Entry(alias, key.getAlgorithm(), 0, key instanceof PrivateKey, false));
        }
      } catch (GeneralSecurityException e) {
        throw new Pkcs11Exception(
            "cannot read '" + alias + "' on token '" + token.label + "': " + Pkcs11Token.rootMessage(e), e);
      }
    }
    return entries;
  }

  private static String describe(List<Pkcs11Entry> entries) {
    return entries.isEmpty() ? "nothing" : String.join("; ", entries.stream().map(Pkcs11Entry::toString).toList());
  }

  private static String requireLabel(Pkcs11Uri uri) {
    return uri.keyLabel()
        .orElseThrow(() -> new Pkcs11Exception("PKCS#11 URI " + uri + " names no key: add object=<label>"));
  }

  private static int rsaBits(SignatureAlgorithm algorithm) {
    String name = algorithm.name();
    for (int bits : new int[] {2048, 3072, 4096}) {
      if (name.contains("_" + bits + "_")) {
        return bits;
      }
    }
    throw new Pkcs11Exception("cannot generate a key for " + algorithm);
  }

  private static X509Certificate selfSigned(
      Provider provider, KeyPair pair, SignatureAlgorithm algorithm, String label)
      throws GeneralSecurityException {
    X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, label).build();
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            name,
            new BigInteger(127, RANDOM).add(BigInteger.ONE),
            Date.from(Instant.now().minusSeconds(60)),
            NO_EXPIRY,
            name,
            pair.getPublic());
    ContentSigner signer = new TokenContentSigner(provider, pair.getPrivate(), algorithm);
    return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
  }

  /** Signs the certificate inside the token, with the scheme the key will sign with. */
  private static final class TokenContentSigner implements ContentSigner {
    private final Provider provider;
    private final PrivateKey key;
    private final SignatureAlgorithm algorithm;
    private final ByteArrayOutputStream tbs = new ByteArrayOutputStream();

    TokenContentSigner(Provider provider, PrivateKey key, SignatureAlgorithm algorithm) {
      this.provider = provider;
      this.key = key;
      this.algorithm = algorithm;
    }

    @Override
    public AlgorithmIdentifier getAlgorithmIdentifier() {
      String name = algorithm.isPss() ? "SHA256WITHRSAANDMGF1" : algorithm.jcaName();
      return new DefaultSignatureAlgorithmIdentifierFinder().find(name);
    }

    @Override
    public OutputStream getOutputStream() {
      return tbs;
    }

    @Override
    public byte[] getSignature() {
      try {
        return Pkcs11Signer.sign(provider, key, algorithm, tbs.toByteArray());
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("token refused to sign the certificate: " + e.getMessage(), e);
      }
    }
  }

  // A key whose certificate does not match would sign with one key and publish another; find out
  // now rather than from a verifier.
  private void selfTest() {
    byte[] probe = "airseal pkcs11 self-test".getBytes(StandardCharsets.UTF_8);
    byte[] signature = sign(probe);
    try {
      Signature verifier = Signature.getInstance(verifierName(algorithm));
      if (algorithm.isPss()) {
        verifier.setParameter(PSS);
      }
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      if (!verifier.verify(signature)) {
        throw new Pkcs11Exception(
            "key '" + label + "' on token '" + token.label + "' does not match its certificate");
      }
    } catch (GeneralSecurityException e) {
      throw new Pkcs11Exception("cannot check key '" + label + "': " + e.getMessage(), e);
    }
  }

  // Sigstore's RSA-PSS: SHA-256, MGF1 with SHA-256, salt length = digest length.
  private static final PSSParameterSpec PSS =
      new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1);

  private static String verifierName(SignatureAlgorithm algorithm) {
    return algorithm.isPss() ? "RSASSA-PSS" : algorithm.jcaName();
  }

  /**
   * ECDSA hashes in Java and signs the digest on the token ({@code NONEwithECDSA}): one C_Sign
   * instead of C_SignUpdate + C_SignFinal, and a large message never crosses to the token (or a
   * network HSM). Through SoftHSM2 both ways measured the same, ~9,000-16,000 P-256 signatures/s on
   * one thread. SunPKCS11 returns ECDSA signatures DER-encoded either way.
   */
  static byte[] sign(Provider provider, PrivateKey key, SignatureAlgorithm algorithm, byte[] message)
      throws GeneralSecurityException {
    Signature s;
    byte[] input = message;
    if (algorithm.isEcdsa()) {
      input = MessageDigest.getInstance(algorithm.digest()).digest(message);
      s = Signature.getInstance("NONEwithECDSA", provider);
    } else if (algorithm.isPss()) {
      s = Signature.getInstance("RSASSA-PSS", provider);
      s.setParameter(PSS);
    } else {
      s = Signature.getInstance(algorithm.jcaName(), provider);
    }
    s.initSign(key);
    s.update(input);
    return s.sign();
  }

  @Override
  public PublicKey publicKey() {
    return certificate.getPublicKey();
  }

  @Override
  public SignatureAlgorithm algorithm() {
    return algorithm;
  }

  /** The certificate stored with the key (self-signed if {@link #generate} made it). */
  public X509Certificate certificate() {
    return certificate;
  }

  public String tokenLabel() {
    return token.label;
  }

  public String label() {
    return label;
  }

  @Override
  public byte[] sign(byte[] message) {
    try {
      return sign(token.provider, privateKey, algorithm, message);
    } catch (GeneralSecurityException | ProviderException e) {
      throw new Pkcs11Exception(
          "signing with '" + label + "' on token '" + token.label + "' failed: "
              + Pkcs11Token.rootMessage(e),
          e);
    }
  }

  @Override
  public String toString() {
    return "Pkcs11Signer[token=" + token.label + ", object=" + label + ", " + algorithm + "]";
  }
}
