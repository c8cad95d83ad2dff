package dev.airseal.api;

import dev.airseal.log.tile.TileLayout;

/** A parsed tile URL: {@code <L>/<N>[.p/<W>]} or {@code entries/<N>[.p/<W>]}. */
record TileRequest(boolean entries, int level, long index, int width) {

  /** Returns null for anything that is not the one canonical URL of a tile. */
  static TileRequest parse(String path) {
    String[] seg = path.split("/", -1);
    if (seg.length < 2) {
      return null;
    }
    boolean entries = seg[0].equals("entries");
    int level = 0;
    if (!entries) {
      if (!seg[0].matches("[0-9]|[1-5][0-9]|6[0-3]")) {
        return null;
      }
      level = Integer.parseInt(seg[0]);
    }
    int end = seg.length;
    int width = TileLayout.TILE_WIDTH;
    // A partial tile ends "<NNN>.p/<W>" with 1 <= W <= 255 written without leading zeros.
    if (end >= 3 && seg[end - 2].endsWith(".p")) {
      String w = seg[end - 1];
      if (!w.matches("[1-9][0-9]{0,2}") || Integer.parseInt(w) >= TileLayout.TILE_WIDTH) {
        return null;
      }
      width = Integer.parseInt(w);
      seg[end - 2] = seg[end - 2].substring(0, seg[end - 2].length() - 2);
      end--;
    }
    long index = TileLayout.decodeIndex(seg, 1, end);
    return index < 0 ? null : new TileRequest(entries, level, index, width);
  }

  @Override
  public String toString() {
    return (entries ? "entries" : Integer.toString(level))
        + "/" + TileLayout.encodeIndex(index)
        + (width == TileLayout.TILE_WIDTH ? "" : ".p/" + width);
  }
}
