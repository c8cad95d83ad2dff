package dev.airseal.trust;

import java.io.IOException;
import java.security.Provider;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Public keys as trusted roots hold them: {@code rawBytes} plus the protobuf-specs
 * {@code PublicKeyDetails} name that says how to read them.
 */
final class KeyDetails {
  static final Provider BC = new BouncyCastleProvider();

  private KeyDetails() {}

  /**
   * Decodes {@code raw}. {@code PKCS1_*} keys are a bare PKCS#1 RSAPublicKey (the staging root's
   * first CT log is one); every other kind is a DER SubjectPublicKeyInfo, whose algorithm must
   * agree with the family {@code details} names.
   */
  static PublicKey decode(String details, byte[] raw) throws IOException {
    SubjectPublicKeyInfo spki;
    if (details.startsWith("PKCS1_RSA")) {
      ASN1Primitive rsa = ASN1Primitive.fromByteArray(raw);
      spki =
          new SubjectPublicKeyInfo(
              new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE), rsa);
    } else {
      spki = SubjectPublicKeyInfo.getInstance(ASN1Primitive.fromByteArray(raw));
    }
    PublicKey key = new JcaPEMKeyConverter().setProvider(BC).getPublicKey(spki);
    String family = family(key);
    if (!details.contains(family)) {
      throw new IOException("key is " + family + " but keyDetails says " + details);
    }
    return key;
  }

  /** The name a root would use for {@code key} (for roots we build ourselves). */
  static String of(PublicKey key) {
    if (key instanceof ECPublicKey ec) {
      int bits = ec.getParams().getCurve().getField().getFieldSize();
      return switch (bits) {
        case 256 -> "PKIX_ECDSA_P256_SHA_256";
        case 384 -> "PKIX_ECDSA_P384_SHA_384";
        case 521 -> "PKIX_ECDSA_P521_SHA_512";
        default -> throw new IllegalArgumentException("unsupported EC curve of " + bits + " bits");
      };
    }
    if (key instanceof RSAPublicKey rsa) {
      return "PKIX_RSA_PKCS1V15_" + rsa.getModulus().bitLength() + "_SHA256";
    }
    if ("Ed25519".equalsIgnoreCase(key.getAlgorithm()) || "EdDSA".equals(key.getAlgorithm())) {
      return "PKIX_ED25519";
    }
    throw new IllegalArgumentException("unsupported key algorithm " + key.getAlgorithm());
  }

  private static String family(PublicKey key) {
    if (key instanceof ECPublicKey) {
      return "ECDSA";
    }
    if (key instanceof RSAPublicKey) {
      return "RSA";
    }
    String alg = key.getAlgorithm();
    return "EdDSA".equals(alg) || "Ed25519".equalsIgnoreCase(alg) ? "ED25519" : alg;
  }
}
