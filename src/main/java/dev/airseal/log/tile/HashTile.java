package dev.airseal.log.tile;

import dev.airseal.log.Rfc6962;
import java.util.Arrays;

/**
 * One tile's bottom row plus the interior nodes above it, up to 8 levels, so that any perfect node
 * inside the tile is an array read. Appending keeps the interior levels complete incrementally:
 * each append finishes at most one node per level.
 */
public final class HashTile {
  private static final int H = Rfc6962.HASH_SIZE;

  private final int level;
  private final long index;
  // rows[r] holds the completed nodes r levels above the bottom row, 32 bytes each.
  private final byte[][] rows = new byte[TileLayout.TILE_HEIGHT][];
  private int width;

  public HashTile(int level, long index) {
    this.level = level;
    this.index = index;
    for (int r = 0; r < TileLayout.TILE_HEIGHT; r++) {
      rows[r] = new byte[(TileLayout.TILE_WIDTH >> r) * H];
    }
  }

  /** A tile rebuilt from its stored bottom row. */
  public static HashTile fromBytes(int level, long index, byte[] hashes) {
    if (hashes.length % H != 0 || hashes.length / H > TileLayout.TILE_WIDTH) {
      throw new IllegalArgumentException("tile data of " + hashes.length + " bytes");
    }
    HashTile t = new HashTile(level, index);
    byte[] h = new byte[H];
    for (int off = 0; off < hashes.length; off += H) {
      System.arraycopy(hashes, off, h, 0, H);
      t.append(h);
    }
    return t;
  }

  public HashTile copy() {
    HashTile t = new HashTile(level, index);
    for (int r = 0; r < rows.length; r++) {
      System.arraycopy(rows[r], 0, t.rows[r], 0, (width >> r) * H);
    }
    t.width = width;
    return t;
  }

  public void append(byte[] hash) {
    if (width == TileLayout.TILE_WIDTH) {
      throw new IllegalStateException("tile " + level + "/" + index + " is full");
    }
    System.arraycopy(hash, 0, rows[0], width * H, H);
    width++;
    int i = width - 1;
    for (int r = 1; r < TileLayout.TILE_HEIGHT && (i & 1) == 1; r++) {
      i >>= 1;
      byte[] left = Arrays.copyOfRange(rows[r - 1], (2 * i) * H, (2 * i + 1) * H);
      byte[] right = Arrays.copyOfRange(rows[r - 1], (2 * i + 1) * H, (2 * i + 2) * H);
      System.arraycopy(Rfc6962.hashChildren(left, right), 0, rows[r], i * H, H);
    }
  }

  /** The node {@code r} levels above the bottom row at position {@code i} of that row. */
  public byte[] node(int r, int i) {
    if (r < 0 || r >= TileLayout.TILE_HEIGHT || ((long) (i + 1) << r) > width) {
      throw new IllegalArgumentException(
          "node " + r + "/" + i + " not complete in tile " + level + "/" + index + " of width " + width);
    }
    return Arrays.copyOfRange(rows[r], i * H, (i + 1) * H);
  }

  /** The bottom row as stored and served: {@code width} hashes of 32 bytes. */
  public byte[] bytes() {
    return Arrays.copyOf(rows[0], width * H);
  }

  public int level() {
    return level;
  }

  public long index() {
    return index;
  }

  public int width() {
    return width;
  }

  public boolean isFull() {
    return width == TileLayout.TILE_WIDTH;
  }
}
