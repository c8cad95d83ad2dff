package dev.airseal.log.rekor.kind;

import static dev.airseal.log.rekor.kind.Fixtures.hashedrekord;
import static dev.airseal.log.rekor.kind.Fixtures.pem;
import static dev.airseal.log.rekor.kind.Fixtures.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.log.Hex;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;

class HashedRekordV001Test {
  private static final byte[] ARTIFACT = "hello airseal".getBytes(StandardCharsets.UTF_8);

  private static byte[] sha(String alg) throws Exception {
    return MessageDigest.getInstance(alg).digest(ARTIFACT);
  }

  @Test
  void canonicalize_acceptsEcdsaP256AndWritesRekorShape() throws Exception {
    KeyPair k = Fixtures.ec("secp256r1");
    byte[] sig = sign("SHA256withECDSA", k.getPrivate(), ARTIFACT);
    ObjectNode proposed = hashedrekord("sha256", sha("SHA-256"), sig, pem(k.getPublic()));
    proposed.with("spec").with("signature").with("publicKey").put("url", "ignored");

    CanonicalEntry e = EntryTypes.canonicalize(proposed);

    String want =
        "{\"apiVersion\":\"0.0.1\",\"kind\":\"hashedrekord\",\"spec\":{\"data\":{\"hash\":"
            + "{\"algorithm\":\"sha256\",\"value\":\"" + Hex.encode(sha("SHA-256")) + "\"}},"
            + "\"signature\":{\"content\":\"" + Fixtures.b64(sig) + "\",\"publicKey\":{\"content\":\""
            + Fixtures.b64(pem(k.getPublic())) + "\"}}}}";
    assertThat(new String(e.body(), StandardCharsets.UTF_8)).isEqualTo(want);
    assertThat(e.indexKeys())
        .containsExactly(
            Hex.encode(MessageDigest.getInstance("SHA-256").digest(pem(k.getPublic()).getBytes(StandardCharsets.US_ASCII))),
            "sha256:" + Hex.encode(sha("SHA-256")));
  }

  @Test
  void canonicalize_acceptsEcdsaP384WithSha384() throws Exception {
    KeyPair k = Fixtures.ec("secp384r1");
    byte[] sig = sign("SHA384withECDSA", k.getPrivate(), ARTIFACT);
    EntryTypes.canonicalize(hashedrekord("sha384", sha("SHA-384"), sig, pem(k.getPublic())));
  }

  @Test
  void canonicalize_acceptsRsaPkcs1WithSha256AndSha512() throws Exception {
    KeyPair k = Fixtures.rsa();
    EntryTypes.canonicalize(
        hashedrekord("sha256", sha("SHA-256"), sign("SHA256withRSA", k.getPrivate(), ARTIFACT), pem(k.getPublic())));
    EntryTypes.canonicalize(
        hashedrekord("sha512", sha("SHA-512"), sign("SHA512withRSA", k.getPrivate(), ARTIFACT), pem(k.getPublic())));
  }

  // Rekor loads RSA verifiers without PSS options, so a PSS signature is a wrong signature.
  @Test
  void canonicalize_rejectsRsaPss() throws Exception {
    KeyPair k = Fixtures.rsa();
    byte[] sig = sign("SHA256withRSAandMGF1", k.getPrivate(), ARTIFACT);
    assertThatThrownBy(
            () -> EntryTypes.canonicalize(hashedrekord("sha256", sha("SHA-256"), sig, pem(k.getPublic()))))
        .isInstanceOf(InvalidEntryException.class)
        .hasMessageContaining("invalid RSA signature");
  }

  @Test
  void canonicalize_acceptsEd25519phOverSha512Digest() throws Exception {
    KeyPair k = Fixtures.ed25519();
    var signer = new org.bouncycastle.crypto.signers.Ed25519phSigner(new byte[0]);
    signer.init(true, org.bouncycastle.crypto.util.PrivateKeyFactory.createKey(k.getPrivate().getEncoded()));
    signer.update(ARTIFACT, 0, ARTIFACT.length);
    byte[] sig = signer.generateSignature();
    EntryTypes.canonicalize(hashedrekord("sha512", sha("SHA-512"), sig, pem(k.getPublic())));
  }

  @Test
  void canonicalize_rejectsEd25519WithSha256Digest() throws Exception {
    KeyPair k = Fixtures.ed25519();
    byte[] sig = sign("Ed25519", k.getPrivate(), sha("SHA-256"));
    assertThatThrownBy(
            () -> EntryTypes.canonicalize(hashedrekord("sha256", sha("SHA-256"), sig, pem(k.getPublic()))))
        .isInstanceOf(InvalidEntryException.class)
        .hasMessageContaining("needs a sha512 digest");
  }

  @Test
  void canonicalize_rejectsSignatureByAnotherKey() throws Exception {
    KeyPair signer = Fixtures.ec("secp256r1");
    KeyPair other = Fixtures.ec("secp256r1");
    byte[] sig = sign("SHA256withECDSA", signer.getPrivate(), ARTIFACT);
    assertThatThrownBy(
            () -> EntryTypes.canonicalize(hashedrekord("sha256", sha("SHA-256"), sig, pem(other.getPublic()))))
        .isInstanceOf(InvalidEntryException.class)
        .hasMessageContaining("verifying signature");
  }

  @Test
  void canonicalize_rejectsTamperedDigest() throws Exception {
    KeyPair k = Fixtures.ec("secp256r1");
    byte[] sig = sign("SHA256withECDSA", k.getPrivate(), ARTIFACT);
    byte[] digest = sha("SHA-256");
    digest[0] ^= 1;
    assertThatThrownBy(
            () -> EntryTypes.canonicalize(hashedrekord("sha256", digest, sig, pem(k.getPublic()))))
        .isInstanceOf(InvalidEntryException.class)
        .hasMessageContaining("invalid ECDSA signature");
  }

  @Test
  void canonicalize_rejectsDigestLengthThatDoesNotMatchAlgorithm() throws Exception {
    KeyPair k = Fixtures.ec("secp256r1");
    byte[] sig = sign("SHA256withECDSA", k.getPrivate(), ARTIFACT);
    assertThatThrownBy(
            () -> EntryTypes.canonicalize(hashedrekord("sha512", sha("SHA-256"), sig, pem(k.getPublic()))))
        .isInstanceOf(InvalidEntryException.class)
        .hasMessage("spec.data.hash.value must be 128 hex characters for sha512, got 64 characters");
  }

  @Test
  void canonicalize_rejectsUnknownHashAlgorithm() throws Exception {
    KeyPair k = Fixtures.ec("secp256r1");
    byte[] sig = sign("SHA256withECDSA", k.getPrivate(), ARTIFACT);
    assertThatThrownBy(
            () -> EntryTypes.canonicalize(hashedrekord("md5", sha("SHA-256"), sig, pem(k.getPublic()))))
        .isInstanceOf(InvalidEntryException.class)
        .hasMessageContaining("spec.data.hash.algorithm must be one of");
  }

  @Test
  void canonicalize_rejectsNonHexDigest() throws Exception {
    KeyPair k = Fixtures.ec("secp256r1");
    ObjectNode p = hashedrekord("sha256", sha("SHA-256"), new byte[] {1}, pem(k.getPublic()));
    p.with("spec").with("data").with("hash").put("value", "zz" + "00".repeat(31));
    assertThatThrownBy(() -> EntryTypes.canonicalize(p))
        .isInstanceOf(InvalidEntryException.class)
        .hasMessageContaining("hex characters");
  }

  @Test
  void canonicalize_rejectsBadBase64Signature() throws Exception {
    KeyPair k = Fixtures.ec("secp256r1");
    ObjectNode p = hashedrekord("sha256", sha("SHA-256"), new byte[] {1}, pem(k.getPublic()));
    p.with("spec").with("signature").put("content", "not*base64");
    assertThatThrownBy(() -> EntryTypes.canonicalize(p))
        .isInstanceOf(InvalidEntryException.class)
        .hasMessageStartingWith("spec.signature.content is not valid base64");
  }

  @Test
  void canonicalize_rejectsMissingPublicKey() throws Exception {
    KeyPair k = Fixtures.ec("secp256r1");
    ObjectNode p = hashedrekord("sha256", sha("SHA-256"), new byte[] {1}, pem(k.getPublic()));
    p.with("spec").with("signature").remove("publicKey");
    assertThatThrownBy(() -> EntryTypes.canonicalize(p))
        .isInstanceOf(InvalidEntryException.class)
        .hasMessage("spec.signature.publicKey is required");
  }

  @Test
  void canonicalize_rejectsSecp256k1Key() throws Exception {
    KeyPair k = Fixtures.ec("secp256k1");
    byte[] sig = sign("SHA256withECDSA", k.getPrivate(), ARTIFACT);
    assertThatThrownBy(
            () -> EntryTypes.canonicalize(hashedrekord("sha256", sha("SHA-256"), sig, pem(k.getPublic()))))
        .isInstanceOf(InvalidEntryException.class)
        .hasMessageContaining("unsupported elliptic curve");
  }

  @Test
  void canonicalize_rejectsKeyThatIsNotPem() throws Exception {
    ObjectNode p = hashedrekord("sha256", sha("SHA-256"), new byte[] {1}, "hello");
    assertThatThrownBy(() -> EntryTypes.canonicalize(p))
        .isInstanceOf(InvalidEntryException.class)
        .hasMessageContaining("failure decoding PEM");
  }
}
