package dev.airseal.log;

import java.util.Base64;

/**
 * Standard base64 (RFC 4648 section 4) with mandatory padding, as Go's {@code base64.StdEncoding}
 * decodes it. The JDK decoder accepts unpadded input, which would let two different strings stand
 * for the same signature or hash.
 */
public final class StrictBase64 {
  private StrictBase64() {}

  /** Decodes {@code s}; throws {@link IllegalArgumentException} if it is not padded base64. */
  public static byte[] decode(String s) {
    if (s.length() % 4 != 0) {
      throw new IllegalArgumentException("base64 length " + s.length() + " is not a multiple of 4");
    }
    return Base64.getDecoder().decode(s);
  }
}
