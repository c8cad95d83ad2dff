package dev.airseal.log;

import java.util.HexFormat;

/** Lower-case hex, as Rekor writes hashes and UUIDs. */
public final class Hex {
  private static final HexFormat HEX = HexFormat.of();

  private Hex() {}

  public static String encode(byte[] bytes) {
    return HEX.formatHex(bytes);
  }

  /** Decodes hex; throws {@link IllegalArgumentException} on odd length or a non-hex digit. */
  public static byte[] decode(String hex) {
    return HEX.parseHex(hex);
  }

  public static boolean isHex(String s, int length) {
    if (s == null || s.length() != length) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
        return false;
      }
    }
    return true;
  }
}
