package dev.airseal.verify.x509;

/**
 * One RFC 6962 v1 SignedCertificateTimestamp.
 *
 * @param timestamp milliseconds since the epoch
 * @param hashAlgorithm TLS HashAlgorithm (4 = sha256, 5 = sha384, 6 = sha512)
 * @param signatureAlgorithm TLS SignatureAlgorithm (1 = rsa, 3 = ecdsa)
 */
record Sct(
    int version,
    byte[] logId,
    long timestamp,
    byte[] extensions,
    int hashAlgorithm,
    int signatureAlgorithm,
    byte[] signature) {
  Sct {
    if (version != 0) {
      throw new IllegalArgumentException("SCT version " + version + ", only v1 (0) is defined");
    }
    if (logId.length != 32) {
      throw new IllegalArgumentException("SCT log ID of " + logId.length + " bytes, expected 32");
    }
  }

  String jcaAlgorithm() {
    String hash = digestAlgorithm().replace("-", "");
    return isEcdsa() ? hash + "withECDSA" : hash + "withRSA";
  }

  /** The JCA name of the SCT's hash algorithm ({@code SHA-256}, ...). */
  String digestAlgorithm() {
    return switch (hashAlgorithm) {
      case 4 -> "SHA-256";
      case 5 -> "SHA-384";
      case 6 -> "SHA-512";
      default -> throw new IllegalArgumentException("SCT hash algorithm " + hashAlgorithm);
    };
  }

  /** RFC 5246 SignatureAlgorithm: ecdsa(3) or rsa(1); anything else is refused. */
  boolean isEcdsa() {
    return switch (signatureAlgorithm) {
      case 1 -> false;
      case 3 -> true;
      default -> throw new IllegalArgumentException("SCT signature algorithm " + signatureAlgorithm);
    };
  }
}
