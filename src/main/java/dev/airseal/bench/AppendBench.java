package dev.airseal.bench;

import dev.airseal.log.TransparencyLog;
import dev.airseal.log.sequencer.Appended;
import dev.airseal.log.sequencer.EntryDraft;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Durable appends through {@link TransparencyLog#append}: {@code threads} submitters, each keeping
 * up to {@code window} appends outstanding. Latency is submit to future completion, and a future
 * completes only after its batch is committed, synced and published.
 */
public final class AppendBench {
  private AppendBench() {}

  /** Where the sequencer's time went during a run, summed over batches. */
  public record Split(long lookupNanos, long signNanos, long commitNanos) {}

  public record Result(
      String label,
      int entries,
      long nanos,
      Latencies latency,
      int batches,
      long treeSize,
      Split split,
      long cpuNanos) {
    public double perSecond() {
      return entries / (nanos / 1e9);
    }

    /**
     * This JVM's CPU time (all threads, the submitters' included) per append, in microseconds: on a
     * shared machine a steadier measure than the rate, and {@code cores * 1e6 / it} bounds the rate.
     */
    public double cpuMicrosPerAppend() {
      return entries == 0 ? 0 : cpuNanos / 1e3 / entries;
    }

    public double meanBatch() {
      return batches == 0 ? 0 : (double) entries / batches;
    }
  }

  /** Times the sequencer's phases; the bench wraps the store and the SET signer with it. */
  public static final class Probe {
    final java.util.concurrent.atomic.LongAdder signNanos = new java.util.concurrent.atomic.LongAdder();
    CountingStore store;

    Split split() {
      return store == null
          ? new Split(0, signNanos.sum(), 0)
          : new Split(store.lookupNanos(), signNanos.sum(), store.commitNanos());
    }
  }

  public static Result run(
      String label, TransparencyLog log, List<EntryDraft> drafts, int threads, int window) {
    return run(label, log, drafts, threads, window, new Probe());
  }

  public static Result run(
      String label,
      TransparencyLog log,
      List<EntryDraft> drafts,
      int threads,
      int window,
      Probe probe) {
    Split before = probe.split();
    int n = drafts.size();
    long[] submitted = new long[n];
    long[] completed = new long[n];
    long[] treeSizes = new long[n];
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> workers = new ArrayList<>(threads);
    long cpuStart = processCpuNanos();
    long start = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      int first = t;
      Thread w =
          new Thread(
              () -> {
                ArrayDeque<CompletableFuture<Appended>> outstanding = new ArrayDeque<>(window);
                for (int i = first; i < n && failure.get() == null; i += threads) {
                  if (outstanding.size() == window) {
                    outstanding.poll().join();
                  }
                  int idx = i;
                  submitted[idx] = System.nanoTime();
                  outstanding.add(
                      log.append(drafts.get(idx))
                          .whenComplete(
                              (a, e) -> {
                                completed[idx] = System.nanoTime();
                                if (e != null) {
                                  failure.compareAndSet(null, e);
                                } else {
                                  treeSizes[idx] = a.tree().size();
                                }
                              }));
                }
                for (CompletableFuture<Appended> f; (f = outstanding.poll()) != null; ) {
                  f.exceptionally(e -> null).join();
                }
              },
              "bench-submitter-" + t);
      workers.add(w);
      w.start();
    }
    for (Thread w : workers) {
      try {
        w.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    long elapsed = System.nanoTime() - start;
    long cpu = processCpuNanos() - cpuStart;
    if (failure.get() != null) {
      throw new IllegalStateException("an append failed: " + failure.get(), failure.get());
    }
    long[] lat = new long[n];
    for (int i = 0; i < n; i++) {
      lat[i] = completed[i] - submitted[i];
    }
    // Each published tree size is one batch: one transaction, one checkpoint, one sync.
    int batches = (int) java.util.Arrays.stream(treeSizes).distinct().count();
    Split after = probe.split();
    Split split =
        new Split(
            after.lookupNanos() - before.lookupNanos(),
            after.signNanos() - before.signNanos(),
            after.commitNanos() - before.commitNanos());
    return new Result(
        label, n, elapsed, Latencies.of(lat), batches, log.published().tree().size(), split, cpu);
  }

  private static long processCpuNanos() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime()
        : 0;
  }
}
