package dev.airseal.log.sequencer;

import dev.airseal.log.EntryIndex;
import dev.airseal.log.Hex;
import dev.airseal.log.LogStore;
import dev.airseal.log.StoredEntry;
import dev.airseal.log.TreeAppender;
import dev.airseal.log.TreeHead;
import dev.airseal.log.TreeSnapshot;
import dev.airseal.log.tile.HashTile;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Integrates queued appends in batches: one transaction, one checkpoint signature and one fsync per
 * batch. A caller's future completes only after its batch is durable and the new tree published.
 */
public final class Sequencer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Sequencer.class.getName());

  /** Signs what each entry needs (Rekor's SET) once its index and time are known. */
  @FunctionalInterface
  public interface EntrySigner {
    byte[] sign(long index, long integratedTime, byte[] body);
  }

  /** Signs the checkpoint for a new tree head; {@code integratedTime} is the batch's, as in its SETs. */
  @FunctionalInterface
  public interface HeadSigner {
    TreeHead sign(long size, byte[] root, long timestamp, long integratedTime);
  }

  /** Where published trees go: the log publishes each new snapshot and head to readers. */
  public interface Publisher {
    TreeSnapshot current();

    void publish(TreeSnapshot tree, TreeHead head);
  }

  /**
   * What an operator wants counted, told without tying the log to a metrics library. Called on the
   * sequencer thread (batches) or the caller's (refusals): implementations must be quick.
   */
  public interface Listener {
    Listener NONE = new Listener() {};

    /** An entry was integrated, {@code nanos} after it was submitted. */
    default void created(long nanos) {}

    /** An entry was refused because the log already holds an equal one. */
    default void duplicate() {}

    /** An entry was refused unseen: queue full or log shutting down. */
    default void refused() {}

    /** A batch failed as a whole (store, signer); its entries were failed. */
    default void failed(int entries) {}

    /**
     * A batch was made durable: {@code appended} new entries out of {@code size} taken from the
     * queue, {@code commitNanos} for the store commit including its sync.
     */
    default void batch(int size, int appended, long commitNanos) {}
  }

  private record Pending(EntryDraft draft, CompletableFuture<Appended> result, long submitted) {}

  private final LogStore store;
  private final EntryIndex index;
  private final EntrySigner entrySigner;
  private final HeadSigner headSigner;
  private final Publisher publisher;
  private final Consumer<List<HashTile>> afterCommit;
  private final int batchSize;
  private final long maxDelayNanos;
  private final Clock clock;
  private final BlockingQueue<Pending> queue;
  private final Thread thread;
  // Completing a future runs its caller's continuation (the REST layer builds the 201 and its
  // inclusion proof there). On the sequencer thread that work would hold up the next batch.
  private final ExecutorService completer;
  private volatile boolean running = true;
  private volatile Listener listener = Listener.NONE;
  // The current batch's entries refused as duplicates (sequencer thread only).
  private final Set<Pending> duplicatesInBatch = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

  public Sequencer(
      LogStore store,
      EntryIndex index,
      EntrySigner entrySigner,
      HeadSigner headSigner,
      Publisher publisher,
      Consumer<List<HashTile>> afterCommit,
      int batchSize,
      Duration maxDelay,
      int maxPending,
      Clock clock) {
    this.store = store;
    this.index = index;
    this.entrySigner = entrySigner;
    this.headSigner = headSigner;
    this.publisher = publisher;
    this.afterCommit = afterCommit;
    this.batchSize = batchSize;
    this.maxDelayNanos = maxDelay.toNanos();
    this.clock = clock;
    this.queue = new ArrayBlockingQueue<>(maxPending);
    AtomicInteger completers = new AtomicInteger();
    this.completer =
        Executors.newFixedThreadPool(
            Runtime.getRuntime().availableProcessors(),
            r -> {
              Thread t = new Thread(r, "airseal-append-done-" + completers.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.thread = new Thread(this::run, "airseal-sequencer");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  public void listener(Listener l) {
    this.listener = l == null ? Listener.NONE : l;
  }

  public CompletableFuture<Appended> submit(EntryDraft draft) {
    CompletableFuture<Appended> f = new CompletableFuture<>();
    if (!running) {
      listener.refused();
      f.completeExceptionally(new LogOverloadedException("the log is shutting down"));
    } else if (!queue.offer(new Pending(draft, f, System.nanoTime()))) {
      listener.refused();
      f.completeExceptionally(
          new LogOverloadedException("the append queue is full; retry later"));
    }
    return f;
  }

  private void run() {
    List<Pending> batch = new ArrayList<>(batchSize);
    while (running || !queue.isEmpty()) {
      try {
        Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        long deadline = System.nanoTime() + maxDelayNanos;
        while (batch.size() < batchSize) {
          long wait = deadline - System.nanoTime();
          Pending p = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : queue.poll();
          if (p == null) {
            break;
          }
          batch.add(p);
        }
        integrate(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException e) {
        LOG.log(Level.SEVERE, "batch of " + batch.size() + " entries failed", e);
        listener.failed(batch.size());
        for (Pending p : batch) {
          // Duplicates already refused keep their 409, though it may not have been delivered yet.
          if (!duplicatesInBatch.contains(p)) {
            p.result.completeExceptionally(e);
          }
        }
      } finally {
        batch.clear();
        duplicatesInBatch.clear();
      }
    }
    for (Pending p; (p = queue.poll()) != null; ) {
      listener.refused();
      p.result.completeExceptionally(new LogOverloadedException("the log is shutting down"));
    }
  }

  private void integrate(List<Pending> batch) {
    // Duplicates, in the store or within the batch, are refused before the tree is touched.
    Set<String> existing = index.existing(batch.stream().map(p -> p.draft.leafHash()).toList());
    // Leaf hash (hex) to position in toAppend.
    Map<String, Integer> accepted = new HashMap<>();
    List<Pending> toAppend = new ArrayList<>(batch.size());
    List<Pending> inBatchDuplicates = new ArrayList<>();
    List<Runnable> refusals = new ArrayList<>();
    for (Pending p : batch) {
      String hex = Hex.encode(p.draft.leafHash());
      if (existing.contains(hex)) {
        long idx = index.indexOfLeaf(p.draft.leafHash()).orElse(-1L);
        listener.duplicate();
        duplicatesInBatch.add(p);
        refusals.add(() -> p.result.completeExceptionally(new DuplicateEntryException(idx)));
      } else if (accepted.putIfAbsent(hex, toAppend.size()) != null) {
        inBatchDuplicates.add(p);
      } else {
        toAppend.add(p);
      }
    }
    completeLater(refusals);
    if (toAppend.isEmpty()) {
      listener.batch(batch.size(), 0, 0);
      return;
    }
    TreeSnapshot base = publisher.current();
    long now = clock.instant().getEpochSecond();
    var appender = new TreeAppender(base);
    long[] indexes = new long[toAppend.size()];
    for (int i = 0; i < toAppend.size(); i++) {
      indexes[i] = appender.size();
      appender.append(toAppend.get(i).draft.leafHash());
    }
    // SETs are independent per entry: sign them on all cores.
    byte[][] sets = new byte[toAppend.size()][];
    java.util.stream.IntStream.range(0, toAppend.size())
        .parallel()
        .forEach(
            i -> sets[i] = entrySigner.sign(indexes[i], now, toAppend.get(i).draft.body()));
    List<StoredEntry> entries = new ArrayList<>(toAppend.size());
    for (int i = 0; i < toAppend.size(); i++) {
      EntryDraft d = toAppend.get(i).draft;
      entries.add(
          new StoredEntry(
              indexes[i], d.leafHash(), now, d.kind(), d.apiVersion(), d.body(), sets[i],
              d.indexKeys()));
    }
    var tiles = appender.dirtyTileRows();
    List<HashTile> touched = appender.dirtyTiles();
    TreeSnapshot next = appender.snapshot();
    TreeHead head = headSigner.sign(next.size(), next.root(), clock.millis(), now);
    long commitStart = System.nanoTime();
    store.commit(base.size(), entries, tiles, head);
    long commitNanos = System.nanoTime() - commitStart;
    index.added(entries);
    publisher.publish(next, head);
    afterCommit.accept(touched);
    Listener l = listener;
    l.batch(batch.size(), toAppend.size(), commitNanos);
    long done = System.nanoTime();
    List<Runnable> completions = new ArrayList<>(toAppend.size() + inBatchDuplicates.size());
    for (int i = 0; i < toAppend.size(); i++) {
      Pending p = toAppend.get(i);
      l.created(done - p.submitted);
      Appended a = new Appended(entries.get(i), next, head);
      completions.add(() -> p.result.complete(a));
    }
    for (Pending p : inBatchDuplicates) {
      l.duplicate();
      long idx = indexes[accepted.get(Hex.encode(p.draft.leafHash()))];
      completions.add(() -> p.result.completeExceptionally(new DuplicateEntryException(idx)));
    }
    completeLater(completions);
  }

  // In chunks, so that every completer thread takes a share of a large batch.
  private void completeLater(List<Runnable> completions) {
    int chunk = Math.max(16, completions.size() / (2 * Runtime.getRuntime().availableProcessors()) + 1);
    for (int from = 0; from < completions.size(); from += chunk) {
      List<Runnable> part = completions.subList(from, Math.min(completions.size(), from + chunk));
      try {
        completer.execute(() -> part.forEach(Runnable::run));
      } catch (RejectedExecutionException e) {
        // Only after close() gave up waiting for this thread: complete here rather than never.
        part.forEach(Runnable::run);
      }
    }
  }

  /** Stops taking appends, integrates what is queued, and waits for the thread to end. */
  @Override
  public void close() {
    running = false;
    try {
      thread.join(TimeUnit.SECONDS.toMillis(30));
      // Queued completions still run: callers of integrated entries get their answers.
      completer.shutdown();
      completer.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
