package dev.airseal.log.tile;

import dev.airseal.log.Rfc6962;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Least-recently-used full tiles, loaded from the store on a miss. Full tiles never change, so a
 * cached tile is never stale.
 */
public final class TileCache implements TileSource {
  private static final int FULL_BYTES = TileLayout.TILE_WIDTH * Rfc6962.HASH_SIZE;

  private final BiFunction<Integer, Long, byte[]> loader;
  private final Map<Long, HashTile> tiles;

  public TileCache(int capacity, BiFunction<Integer, Long, byte[]> loader) {
    this.loader = loader;
    this.tiles =
        new LinkedHashMap<>(capacity * 2, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Long, HashTile> eldest) {
            return size() > capacity;
          }
        };
  }

  private static long key(int level, long index) {
    return ((long) level << 56) | index;
  }

  @Override
  public HashTile fullTile(int level, long index) {
    long k = key(level, index);
    synchronized (tiles) {
      HashTile t = tiles.get(k);
      if (t != null) {
        return t;
      }
    }
    byte[] bytes = loader.apply(level, index);
    if (bytes == null || bytes.length != FULL_BYTES) {
      throw new IllegalStateException(
          "store has no full tile " + level + "/" + index
              + (bytes == null ? "" : " (it has " + bytes.length / Rfc6962.HASH_SIZE + " hashes)"));
    }
    HashTile t = HashTile.fromBytes(level, index, bytes);
    put(t);
    return t;
  }

  /** Offers a tile; only full tiles are kept. */
  public void put(HashTile t) {
    if (t.isFull()) {
      synchronized (tiles) {
        tiles.put(key(t.level(), t.index()), t);
      }
    }
  }

  public void clear() {
    synchronized (tiles) {
      tiles.clear();
    }
  }
}
