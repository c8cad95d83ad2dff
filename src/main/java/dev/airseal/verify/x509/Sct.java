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
    String hash = switch (hashAlgorithm) {
      case 4 -> "SHA256";
      case 5 -> "SHA384";
      case 6 -> "SHA512";
      default -> throw new IllegalArgumentException("SCT hash algorithm " + hashAlgorithm);
    };
    return switch (signatureAlgorithm) {
      case 1 -> hash + "withRSA";
      case 3 -> hash + "withECDSA";
      default -> throw new IllegalArgumentException("SCT signature algorithm " + signatureAlgorithm);
    };
  }
}
