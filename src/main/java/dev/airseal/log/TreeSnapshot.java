package dev.airseal.log;

import dev.airseal.log.tile.HashTile;
import dev.airseal.log.tile.TileLayout;
import dev.airseal.log.tile.TileSource;

/**
 * An immutable view of the tree at one published size: the right-edge tile of each tile level and
 * the compact range (frontier). Readers build proofs from it while the sequencer works on private
 * copies; a new snapshot is published only after its batch is durable.
 */
public final class TreeSnapshot implements NodeSource {
  static final int MAX_LEVELS = 64;

  private final long size;
  private final byte[] root;
  private final HashTile[] rightTiles;
  private final byte[][] frontier;
  private final TileSource fullTiles;

  TreeSnapshot(long size, HashTile[] rightTiles, byte[][] frontier, TileSource fullTiles) {
    this.size = size;
    this.rightTiles = rightTiles;
    this.frontier = frontier;
    this.fullTiles = fullTiles;
    this.root = foldFrontier(frontier);
  }

  public static TreeSnapshot empty(TileSource fullTiles) {
    return new TreeSnapshot(0, new HashTile[MAX_LEVELS / 8 + 1], new byte[MAX_LEVELS][], fullTiles);
  }

  /**
   * Rebuilds the snapshot for {@code size} from stored tiles: the right tile of each level is the
   * partial tile (its first {@code width} hashes), or the last full one.
   */
  public static TreeSnapshot restore(long size, TileReader store, TileSource fullTiles) {
    HashTile[] right = new HashTile[MAX_LEVELS / 8 + 1];
    for (int k = 0; TileLayout.hashesAtTileLevel(size, k) > 0; k++) {
      long c = TileLayout.hashesAtTileLevel(size, k);
      long idx = c >>> TileLayout.TILE_HEIGHT;
      int width = (int) (c & (TileLayout.TILE_WIDTH - 1));
      if (width == 0) {
        right[k] = fullTiles.fullTile(k, idx - 1);
      } else {
        byte[] bytes = store.tileBytes(k, idx);
        if (bytes == null || bytes.length < width * Rfc6962.HASH_SIZE) {
          throw new IllegalStateException(
              "store lacks tile " + k + "/" + idx + " of width " + width + " for size " + size);
        }
        right[k] =
            HashTile.fromBytes(
                k, idx, java.util.Arrays.copyOf(bytes, width * Rfc6962.HASH_SIZE));
      }
    }
    byte[][] frontier = new byte[MAX_LEVELS][];
    TreeSnapshot partial = new TreeSnapshot(size, right, frontier, fullTiles);
    long start = 0;
    for (int h = MAX_LEVELS - 2; h >= 0; h--) {
      if (((size >>> h) & 1) == 1) {
        frontier[h] = partial.node(h, start >>> h);
        start += 1L << h;
      }
    }
    return new TreeSnapshot(size, right, frontier, fullTiles);
  }

  /** Reads stored tile rows, full or partial. */
  @FunctionalInterface
  public interface TileReader {
    byte[] tileBytes(int level, long index);
  }

  @Override
  public byte[] node(int level, long index) {
    if (level < 0 || level >= MAX_LEVELS || ((index + 1) << level) > size || index < 0) {
      throw new IllegalArgumentException(
          "node " + level + "/" + index + " is not complete in a tree of size " + size);
    }
    int k = level / TileLayout.TILE_HEIGHT;
    int r = level % TileLayout.TILE_HEIGHT;
    long first = index << r;
    long tileIndex = first >>> TileLayout.TILE_HEIGHT;
    int pos = (int) ((first & (TileLayout.TILE_WIDTH - 1)) >>> r);
    HashTile t = rightTiles[k];
    if (t == null || t.index() != tileIndex) {
      t = fullTiles.fullTile(k, tileIndex);
    }
    return t.node(r, pos);
  }

  static byte[] foldFrontier(byte[][] frontier) {
    byte[] acc = null;
    for (byte[] f : frontier) {
      if (f != null) {
        acc = acc == null ? f : Rfc6962.hashChildren(f, acc);
      }
    }
    return acc == null ? Rfc6962.emptyRoot() : acc;
  }

  public long size() {
    return size;
  }

  public byte[] root() {
    return root.clone();
  }

  public ProofBuilder proofs() {
    return new ProofBuilder(this);
  }

  HashTile[] rightTiles() {
    return rightTiles;
  }

  byte[][] frontier() {
    return frontier;
  }

  TileSource fullTiles() {
    return fullTiles;
  }
}
