package dev.airseal.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** The benches' timing loop: N threads, one start signal, per-call latencies. */
public final class TimedRun {
  private TimedRun() {}

  /** One timed operation; {@code i} counts the calls on this thread. */
  public interface Op {
    void run(int thread, long i) throws Exception;
  }

  /** Wall time of the timed window and the latency of every call in it. */
  public record Timed(long nanos, Latencies latency) {}

  /**
   * Runs {@code op} on {@code threads} threads, started together, until {@code duration} is over;
   * the first failure stops every thread and is rethrown.
   */
  public static Timed run(int threads, Duration duration, Op op, String name) {
    if (duration.isZero()) {
      return new Timed(0, Latencies.of(new long[0]));
    }
    return loop(threads, duration, Long.MAX_VALUE, op, name);
  }

  /**
   * Makes {@code calls} calls of {@code op} between {@code threads} threads, started together, each
   * taking the next call number {@code i} when its last call returned; stops early when {@code
   * duration} is over. The first failure stops every thread and is rethrown.
   */
  public static Timed calls(int threads, long calls, Duration duration, Op op, String name) {
    return loop(threads, duration, calls, op, name);
  }

  // calls == Long.MAX_VALUE: unbounded, and i counts the calls of each thread.
  private static Timed loop(int threads, Duration duration, long calls, Op op, String name) {
    AtomicLong next = new AtomicLong();
    long[][] samples = new long[threads][];
    int[] counts = new int[threads];
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>(threads);
    long[] start = new long[1];
    for (int t = 0; t < threads; t++) {
      int me = t;
      Thread w =
          new Thread(
              () -> {
                long[] lat = new long[4096];
                int n = 0;
                try {
                  go.await();
                  long deadline = start[0] + duration.toNanos();
                  for (long now = System.nanoTime(); now < deadline && failure.get() == null; ) {
                    long i = calls == Long.MAX_VALUE ? n : next.getAndIncrement();
                    if (i >= calls) {
                      break;
                    }
                    op.run(me, i);
                    long done = System.nanoTime();
                    if (n == lat.length) {
                      lat = Arrays.copyOf(lat, n * 2);
                    }
                    lat[n++] = done - now;
                    now = done;
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  failure.compareAndSet(null, e);
                } catch (Exception | Error e) {
                  failure.compareAndSet(null, e);
                }
                samples[me] = lat;
                counts[me] = n;
              },
              name + "-" + t);
      workers.add(w);
      w.start();
    }
    start[0] = System.nanoTime();
    go.countDown();
    for (Thread w : workers) {
      try {
        w.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    long elapsed = System.nanoTime() - start[0];
    if (failure.get() != null) {
      throw new IllegalStateException(name + " failed: " + failure.get(), failure.get());
    }
    long[] all = new long[Arrays.stream(counts).sum()];
    int at = 0;
    for (int t = 0; t < threads; t++) {
      System.arraycopy(samples[t], 0, all, at, counts[t]);
      at += counts[t];
    }
    return new Timed(elapsed, Latencies.of(all));
  }
}
