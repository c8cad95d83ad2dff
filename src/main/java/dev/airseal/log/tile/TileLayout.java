package dev.airseal.log.tile;

/**
 * Coordinates of C2SP tlog-tiles. A tile at level L holds up to 256 consecutive hashes of tree level
 * 8L; its index N counts tiles from the left. Paths encode N in groups of three decimal digits, all
 * but the last prefixed with "x".
 */
// SPEC: https://c2sp.org/tlog-tiles
public final class TileLayout {
  public static final int TILE_HEIGHT = 8;
  public static final int TILE_WIDTH = 1 << TILE_HEIGHT;

  private TileLayout() {}

  /** "x001/x234/067" for 1234067. */
  public static String encodeIndex(long n) {
    if (n < 0) {
      throw new IllegalArgumentException("negative tile index " + n);
    }
    String digits = Long.toString(n);
    int pad = (3 - digits.length() % 3) % 3;
    digits = "0".repeat(pad) + digits;
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < digits.length(); i += 3) {
      if (i + 3 < digits.length()) {
        sb.append('x');
      }
      sb.append(digits, i, i + 3);
      if (i + 3 < digits.length()) {
        sb.append('/');
      }
    }
    return sb.toString();
  }

  /**
   * Parses the index part of a tile path (segments "x001", "x234", "067"); returns -1 when it is not
   * in canonical form, so that each tile has exactly one URL.
   */
  public static long decodeIndex(String[] segments, int from, int to) {
    if (to <= from) {
      return -1;
    }
    long n = 0;
    for (int i = from; i < to; i++) {
      String s = segments[i];
      boolean last = i == to - 1;
      if (!last) {
        if (s.length() != 4 || s.charAt(0) != 'x') {
          return -1;
        }
        s = s.substring(1);
      } else if (s.length() != 3) {
        return -1;
      }
      for (int j = 0; j < 3; j++) {
        char c = s.charAt(j);
        if (c < '0' || c > '9') {
          return -1;
        }
      }
      if (n > (Long.MAX_VALUE - 999) / 1000) {
        return -1;
      }
      n = n * 1000 + Integer.parseInt(s);
    }
    return n;
  }

  /** Number of hashes at tree level 8*level that a tree of {@code size} leaves has completed. */
  public static long hashesAtTileLevel(long size, int level) {
    return size >>> (TILE_HEIGHT * level);
  }
}
