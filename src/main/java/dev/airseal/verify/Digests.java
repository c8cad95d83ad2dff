package dev.airseal.verify;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** JDK message digests by name; the JDK always has the SHA-2 family. */
final class Digests {
  private Digests() {}

  static byte[] digest(String jcaAlgorithm, byte[] data) {
    try {
      return MessageDigest.getInstance(jcaAlgorithm).digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always has " + jcaAlgorithm, e);
    }
  }

  static byte[] sha256(byte[] data) {
    return digest("SHA-256", data);
  }

  /** protobuf-specs HashAlgorithm names to JCA names; null for an unknown name. */
  static String jcaName(String protoName) {
    return switch (protoName) {
      case "SHA2_256" -> "SHA-256";
      case "SHA2_384" -> "SHA-384";
      case "SHA2_512" -> "SHA-512";
      default -> null;
    };
  }

  /** Rekor v1 hash names (hashedrekord 0.0.1) to JCA names; null for an unknown name. */
  static String jcaNameOfRekor(String rekorName) {
    return switch (rekorName) {
      case "sha256" -> "SHA-256";
      case "sha384" -> "SHA-384";
      case "sha512" -> "SHA-512";
      default -> null;
    };
  }
}
