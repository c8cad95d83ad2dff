package dev.airseal.tuf;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The lower-case hex digests TUF metadata writes ({@code hashes}, key IDs, target file names). */
public final class TufHashes {
  private TufHashes() {}

  public static String sha256Hex(byte[] data) {
    return hex("SHA-256", data);
  }

  private static String hex(String algorithm, byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is required of every JDK", e);
    }
  }
}
