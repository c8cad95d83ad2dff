package dev.airseal.log.tile;

/** Full (256-wide, immutable) tiles, typically a cache over the store. */
@FunctionalInterface
public interface TileSource {
  /** The full tile, or an exception if the store has no full tile there. */
  HashTile fullTile(int level, long index);
}
