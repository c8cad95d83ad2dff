package dev.airseal.signing;

/**
 * The signature schemes Airseal signs with, named as protobuf-specs {@code PublicKeyDetails} names
 * them (what a Sigstore trusted root or bundle records for the key).
 */
public enum SignatureAlgorithm {
  PKIX_ECDSA_P256_SHA_256("SHA256withECDSA", "SHA-256"),
  PKIX_ECDSA_P384_SHA_384("SHA384withECDSA", "SHA-384"),
  PKIX_ECDSA_P521_SHA_512("SHA512withECDSA", "SHA-512"),
  PKIX_RSA_PKCS1V15_2048_SHA256("SHA256withRSA", "SHA-256"),
  PKIX_RSA_PKCS1V15_3072_SHA256("SHA256withRSA", "SHA-256"),
  PKIX_RSA_PKCS1V15_4096_SHA256("SHA256withRSA", "SHA-256"),
  PKIX_RSA_PSS_2048_SHA256("SHA256withRSA/PSS", "SHA-256"),
  PKIX_RSA_PSS_3072_SHA256("SHA256withRSA/PSS", "SHA-256"),
  PKIX_RSA_PSS_4096_SHA256("SHA256withRSA/PSS", "SHA-256"),
  PKIX_ED25519("Ed25519", null);

  private final String jcaName;
  private final String digest;

  SignatureAlgorithm(String jcaName, String digest) {
    this.jcaName = jcaName;
    this.digest = digest;
  }

  /** The JCA signature name, as BouncyCastle knows it. */
  public String jcaName() {
    return jcaName;
  }

  /** The JCA digest the scheme hashes messages with; null for pure Ed25519. */
  public String digest() {
    return digest;
  }

  public boolean isEcdsa() {
    return name().startsWith("PKIX_ECDSA");
  }

  public boolean isRsa() {
    return name().startsWith("PKIX_RSA");
  }

  public boolean isPss() {
    return name().startsWith("PKIX_RSA_PSS");
  }

  /** The scheme for a key: ECDSA by curve size, RSA by modulus size (PKCS#1 v1.5 unless pss). */
  public static SignatureAlgorithm forKey(java.security.PublicKey key, boolean pss) {
    if (key instanceof java.security.interfaces.ECPublicKey ec) {
      int bits = ec.getParams().getCurve().getField().getFieldSize();
      return switch (bits) {
        case 256 -> PKIX_ECDSA_P256_SHA_256;
        case 384 -> PKIX_ECDSA_P384_SHA_384;
        case 521 -> PKIX_ECDSA_P521_SHA_512;
        default -> throw new IllegalArgumentException("unsupported EC curve of " + bits + " bits");
      };
    }
    if (key instanceof java.security.interfaces.RSAPublicKey rsa) {
      int bits = rsa.getModulus().bitLength();
      String name = (pss ? "PKIX_RSA_PSS_" : "PKIX_RSA_PKCS1V15_") + bits + "_SHA256";
      try {
        return valueOf(name);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "unsupported RSA key size " + bits + " (2048, 3072, 4096)");
      }
    }
    if ("Ed25519".equals(key.getAlgorithm()) || "EdDSA".equals(key.getAlgorithm())) {
      return PKIX_ED25519;
    }
    throw new IllegalArgumentException("unsupported key type " + key.getAlgorithm());
  }
}
