package dev.airseal.log;

import dev.airseal.log.tile.HashTile;
import dev.airseal.log.tile.TileLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sequencer's private, mutable copy of the tree's right edge. Appending a leaf merges the
 * compact range; every node it completes at a level that is a multiple of 8 is a hash of the next
 * tile level up. The tiles touched are remembered so one batch writes each tile once.
 */
public final class TreeAppender {
  private final TreeSnapshot base;
  private final HashTile[] right;
  private final byte[][] frontier;
  private final Map<String, HashTile> dirty = new LinkedHashMap<>();
  private long size;

  public TreeAppender(TreeSnapshot base) {
    this.base = base;
    this.size = base.size();
    this.right = new HashTile[base.rightTiles().length];
    for (int i = 0; i < right.length; i++) {
      HashTile t = base.rightTiles()[i];
      right[i] = t == null ? null : t.copy();
    }
    this.frontier = base.frontier().clone();
  }

  public void append(byte[] leafHash) {
    addToTile(0, leafHash);
    byte[] carry = leafHash;
    int level = 0;
    while (frontier[level] != null) {
      carry = Rfc6962.hashChildren(frontier[level], carry);
      frontier[level] = null;
      level++;
      if (level % TileLayout.TILE_HEIGHT == 0) {
        addToTile(level / TileLayout.TILE_HEIGHT, carry);
      }
    }
    frontier[level] = carry;
    size++;
  }

  private void addToTile(int k, byte[] hash) {
    HashTile t = right[k];
    if (t == null) {
      t = new HashTile(k, 0);
    } else if (t.isFull()) {
      t = new HashTile(k, t.index() + 1);
    }
    right[k] = t;
    t.append(hash);
    dirty.put(k + "/" + t.index(), t);
  }

  public long size() {
    return size;
  }

  /** Tiles written by this batch, in the order first touched. */
  public List<HashTile> dirtyTiles() {
    return new ArrayList<>(dirty.values());
  }

  public List<LogStore.TileRow> dirtyTileRows() {
    List<LogStore.TileRow> rows = new ArrayList<>(dirty.size());
    for (HashTile t : dirty.values()) {
      rows.add(new LogStore.TileRow(t.level(), t.index(), t.bytes()));
    }
    return rows;
  }

  /** Hands the appender's tiles to a new snapshot; the appender must not be used afterwards. */
  public TreeSnapshot snapshot() {
    return new TreeSnapshot(size, right, frontier, base.fullTiles());
  }
}
