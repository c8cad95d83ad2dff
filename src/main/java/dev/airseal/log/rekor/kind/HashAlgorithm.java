package dev.airseal.log.rekor.kind;

import dev.airseal.log.Hex;

/** The artifact digests hashedrekord 0.0.1 accepts (its schema's enum). */
enum HashAlgorithm {
  SHA256("sha256", "SHA-256", 32, "3031300d060960864801650304020105000420"),
  SHA384("sha384", "SHA-384", 48, "3041300d060960864801650304020205000430"),
  SHA512("sha512", "SHA-512", 64, "3051300d060960864801650304020305000440");

  private final String id;
  private final String jcaName;
  private final int size;
  private final String digestInfoPrefix;

  HashAlgorithm(String id, String jcaName, int size, String digestInfoPrefix) {
    this.id = id;
    this.jcaName = jcaName;
    this.size = size;
    this.digestInfoPrefix = digestInfoPrefix;
  }

  /** The name Rekor writes, e.g. {@code sha256}. */
  String id() {
    return id;
  }

  int size() {
    return size;
  }

  /** DER of the PKCS#1 DigestInfo up to the digest octets (RFC 8017 section 9.2, note 1). */
  byte[] digestInfoPrefix() {
    return Hex.decode(digestInfoPrefix);
  }

  byte[] digest(byte[] data) {
    return Verifiers.sha(jcaName).digest(data);
  }

  static HashAlgorithm fromId(String id) {
    for (HashAlgorithm a : values()) {
      if (a.id.equals(id)) {
        return a;
      }
    }
    return null;
  }
}
