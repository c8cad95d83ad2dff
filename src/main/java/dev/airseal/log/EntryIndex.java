package dev.airseal.log;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Lookups by leaf hash and by search key, kept off the sequencer's durable path.
 *
 * <p>Random 32-byte keys make every B-tree insert touch its own page, and a per-batch fsync then
 * writes each touched page: the indexes cost more than the entries. So the sequencer durably writes
 * only entries (which carry their keys), tiles and the head; this index holds recent entries in
 * memory and files them into the store every interval in one large transaction, which rewrites
 * each index page once per interval instead of once per batch. After a crash the entries beyond
 * the store's indexed size are filed again at start-up, before the log serves anything.
 */
public final class EntryIndex implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(EntryIndex.class.getName());
  private static final int CATCH_UP_CHUNK = 10_000;

  private final LogStore store;
  private final Map<String, Long> recentLeaves = new ConcurrentHashMap<>();
  // Per key, indexes in increasing order: flushing removes from the head.
  private final Map<String, ConcurrentLinkedDeque<Long>> recentKeys = new ConcurrentHashMap<>();
  private final List<StoredEntry> pending = new ArrayList<>();
  private final long intervalMillis;
  // Null for a follower: the leader files, a follower only remembers what is not filed yet.
  private final Thread thread;
  private final Object wakeUp = new Object();
  private volatile boolean running = true;

  public EntryIndex(LogStore store, long treeSize, long intervalMillis) {
    this.store = store;
    this.intervalMillis = intervalMillis;
    catchUp(treeSize);
    this.thread = new Thread(this::run, "airseal-indexer");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  private EntryIndex(LogStore store) {
    this.store = store;
    this.intervalMillis = 0;
    this.thread = null;
  }

  /**
   * The index of a replica that reads a log another replica sequences: entries the leader has not
   * filed yet are held in memory (see {@link #followed}) until the store's indexed size passes them.
   */
  public static EntryIndex follower(LogStore store) {
    return new EntryIndex(store);
  }

  /**
   * A follower learnt of committed entries; {@code indexedSize} is how far the leader has filed.
   */
  public void followed(List<StoredEntry> entries, long indexedSize) {
    for (StoredEntry e : entries) {
      if (e.index() >= indexedSize) {
        recentLeaves.put(Hex.encode(e.leafHash()), e.index());
        for (String k : new HashSet<>(e.indexKeys())) {
          recentKeys.computeIfAbsent(k, x -> new ConcurrentLinkedDeque<>()).addLast(e.index());
        }
      }
    }
    forgetBelow(indexedSize);
  }

  private void forgetBelow(long indexedSize) {
    recentLeaves.values().removeIf(i -> i < indexedSize);
    recentKeys.values().removeIf(q -> {
      q.removeIf(i -> i < indexedSize);
      return q.isEmpty();
    });
  }

  private void catchUp(long treeSize) {
    long from = store.indexedSize();
    if (from < treeSize) {
      LOG.info("indexing entries " + from + ".." + (treeSize - 1) + " written before the last stop");
    }
    while (from < treeSize) {
      long to = Math.min(treeSize, from + CATCH_UP_CHUNK);
      store.index(store.entries(from, to), to);
      from = to;
    }
  }

  /** Makes a committed batch findable at once; called before the batch is published. */
  public void added(List<StoredEntry> entries) {
    for (StoredEntry e : entries) {
      recentLeaves.put(Hex.encode(e.leafHash()), e.index());
      for (String k : new HashSet<>(e.indexKeys())) {
        recentKeys.computeIfAbsent(k, x -> new ConcurrentLinkedDeque<>()).addLast(e.index());
      }
    }
    synchronized (pending) {
      pending.addAll(entries);
    }
  }

  public Optional<Long> indexOfLeaf(byte[] leafHash) {
    // Memory first: an entry leaves memory only after the store has it.
    Long recent = recentLeaves.get(Hex.encode(leafHash));
    return recent != null ? Optional.of(recent) : store.indexOfLeaf(leafHash);
  }

  /** Which of these leaf hashes (hex) the log holds. */
  public Set<String> existing(Collection<byte[]> leafHashes) {
    Set<String> found = new HashSet<>();
    List<byte[]> unknown = new ArrayList<>();
    for (byte[] h : leafHashes) {
      if (recentLeaves.containsKey(Hex.encode(h))) {
        found.add(Hex.encode(h));
      } else {
        unknown.add(h);
      }
    }
    found.addAll(store.existingLeaves(unknown));
    return found;
  }

  /** Entry indexes filed under {@code key}, oldest first. */
  public List<Long> search(String key, int limit) {
    List<Long> out = new ArrayList<>(store.search(key, limit));
    Set<Long> seen = new HashSet<>(out);
    for (long i : recentKeys.getOrDefault(key, new ConcurrentLinkedDeque<>())) {
      if (out.size() >= limit) {
        break;
      }
      if (seen.add(i)) {
        out.add(i);
      }
    }
    return out;
  }

  // Never interrupted: an interrupt inside H2's file I/O closes the database file.
  private void run() {
    while (running) {
      try {
        synchronized (wakeUp) {
          wakeUp.wait(intervalMillis);
        }
        flush();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        // The entries stay in memory and pending; the next interval tries again.
        LOG.log(Level.WARNING, "indexing failed; will retry", e);
      }
    }
  }

  /** Files everything pending into the store, then lets memory forget it. */
  public synchronized void flush() {
    List<StoredEntry> batch;
    synchronized (pending) {
      if (pending.isEmpty()) {
        return;
      }
      batch = new ArrayList<>(pending);
    }
    store.index(batch, batch.get(batch.size() - 1).index() + 1);
    synchronized (pending) {
      pending.subList(0, batch.size()).clear();
    }
    long last = batch.get(batch.size() - 1).index();
    for (StoredEntry e : batch) {
      recentLeaves.remove(Hex.encode(e.leafHash()), e.index());
      for (String k : e.indexKeys()) {
        recentKeys.computeIfPresent(k, (x, q) -> {
          while (!q.isEmpty() && q.peekFirst() <= last) {
            q.pollFirst();
          }
          return q.isEmpty() ? null : q;
        });
      }
    }
  }

  @Override
  public void close() {
    if (thread == null) {
      return;
    }
    running = false;
    synchronized (wakeUp) {
      wakeUp.notifyAll();
    }
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    flush();
  }
}
