package dev.airseal.log;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** RFC 6962 section 2.1 hashing: leaves and interior nodes are domain-separated by a prefix byte. */
public final class Rfc6962 {
  public static final byte LEAF_PREFIX = 0x00;
  public static final byte NODE_PREFIX = 0x01;
  public static final int HASH_SIZE = 32;

  // The JDK's SHA-256 uses the SHA-NI intrinsic; one digest per thread avoids provider look-ups.
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(Rfc6962::newSha256);

  private Rfc6962() {}

  public static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JDK", e);
    }
  }

  public static byte[] sha256(byte[] data) {
    MessageDigest md = SHA256.get();
    md.reset();
    return md.digest(data);
  }

  /** MTH({}) = SHA-256(). */
  public static byte[] emptyRoot() {
    return sha256(new byte[0]);
  }

  /** MTH({d}) = SHA-256(0x00 || d). */
  public static byte[] hashLeaf(byte[] entry) {
    MessageDigest md = SHA256.get();
    md.reset();
    md.update(LEAF_PREFIX);
    md.update(entry);
    return md.digest();
  }

  /** SHA-256(0x01 || left || right). */
  public static byte[] hashChildren(byte[] left, byte[] right) {
    MessageDigest md = SHA256.get();
    md.reset();
    md.update(NODE_PREFIX);
    md.update(left);
    md.update(right);
    return md.digest();
  }
}
