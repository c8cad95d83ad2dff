package dev.airseal.log;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Durable storage of one log: entries, hash tiles and the tree head. The tree head is the only
 * mutable row; {@link #commit} replaces it only if it still holds the size the batch was built on.
 */
public interface LogStore {

  Optional<TreeHead> head();

  /** Creates the head of a new, empty tree; fails if one exists. */
  void create(TreeHead head);

  /**
   * Writes a batch atomically and durably (on disk, fsync'd) before returning: its entries (with
   * their index keys), the tiles it changed and the new head. The lookup indexes are not written
   * here but by {@link #index}, behind the sequencer.
   *
   * @throws ConcurrentModificationException-like {@link IllegalStateException} when the stored
   *     head is no longer at {@code previousSize}
   */
  void commit(long previousSize, List<StoredEntry> entries, List<TileRow> tiles, TreeHead head);

  /**
   * Files entries under their leaf hash and index keys and records that the indexes now reach
   * {@code indexedSize}. Need not be forced to disk: lost index rows are rebuilt from the entries.
   */
  void index(List<StoredEntry> entries, long indexedSize);

  /** How many entries, from index 0, the lookup indexes cover. */
  long indexedSize();

  byte[] tileBytes(int level, long index);

  Optional<StoredEntry> entry(long index);

  /** Entries with index in [from, to), in order, with their index keys. */
  List<StoredEntry> entries(long from, long to);

  Optional<Long> indexOfLeaf(byte[] leafHash);

  /** Which of these leaf hashes (hex) the log already holds. */
  Set<String> existingLeaves(Collection<byte[]> leafHashes);

  /** Entry indexes filed under a search key (for example "sha256:..."), oldest first. */
  List<Long> search(String key, int limit);

  record TileRow(int level, long index, byte[] hashes) {}
}
