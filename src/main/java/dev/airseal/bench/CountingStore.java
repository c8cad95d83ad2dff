package dev.airseal.bench;

import dev.airseal.log.LogStore;
import dev.airseal.log.StoredEntry;
import dev.airseal.log.TreeHead;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * A store that counts tile reads (how often proofs missed the tile cache) and times the
 * sequencer's two store calls per batch (duplicate lookup, commit with its sync).
 */
final class CountingStore implements LogStore {
  private final LogStore store;
  private final LongAdder tileReads = new LongAdder();
  private final LongAdder commitNanos = new LongAdder();
  private final LongAdder lookupNanos = new LongAdder();

  CountingStore(LogStore store) {
    this.store = store;
  }

  long tileReads() {
    return tileReads.sum();
  }

  long commitNanos() {
    return commitNanos.sum();
  }

  long lookupNanos() {
    return lookupNanos.sum();
  }

  @Override
  public byte[] tileBytes(int level, long index) {
    tileReads.increment();
    return store.tileBytes(level, index);
  }

  @Override
  public Optional<TreeHead> head() {
    return store.head();
  }

  @Override
  public void create(TreeHead head) {
    store.create(head);
  }

  @Override
  public void commit(
      long previousSize, List<StoredEntry> entries, List<TileRow> tiles, TreeHead head) {
    long t = System.nanoTime();
    store.commit(previousSize, entries, tiles, head);
    commitNanos.add(System.nanoTime() - t);
  }

  @Override
  public void index(List<StoredEntry> entries, long indexedSize) {
    store.index(entries, indexedSize);
  }

  @Override
  public long indexedSize() {
    return store.indexedSize();
  }

  @Override
  public Optional<StoredEntry> entry(long index) {
    return store.entry(index);
  }

  @Override
  public List<StoredEntry> entries(long from, long to) {
    return store.entries(from, to);
  }

  @Override
  public Optional<Long> indexOfLeaf(byte[] leafHash) {
    return store.indexOfLeaf(leafHash);
  }

  @Override
  public Set<String> existingLeaves(Collection<byte[]> leafHashes) {
    long t = System.nanoTime();
    Set<String> found = store.existingLeaves(leafHashes);
    lookupNanos.add(System.nanoTime() - t);
    return found;
  }

  @Override
  public List<Long> search(String key, int limit) {
    return store.search(key, limit);
  }
}
