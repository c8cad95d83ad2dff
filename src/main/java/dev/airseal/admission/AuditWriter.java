package dev.airseal.admission;

import dev.airseal.store.AuditPacks;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.jboss.logging.Logger;

/**
 * Writes decision audit events in batches off the request path: one pack row per batch instead of
 * a row per admission ({@link AuditPacks}), each event's detail serialised here rather than on the
 * request's thread. Nothing is dropped: a full queue makes the request write its own event
 * synchronously, a failed batch is retried (and counted) until the database takes it, and
 * {@link #close} drains the queue. What a crash can lose is the events of the last
 * {@code maxDelay}, which the API server has already been answered for.
 */
public final class AuditWriter implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(AuditWriter.class);
  private static final int MAX_BATCH = 2048;

  /** Where batches go (the audit table). */
  public interface Sink {
    void write(List<AuditPacks.Pack> packs) throws Exception;
  }

  private final Sink sink;
  private final BlockingQueue<AuditPacks.Event> queue;
  private final Duration maxDelay;
  private final Thread thread;
  private volatile boolean closing;
  final LongAdder written = new LongAdder();
  final LongAdder failures = new LongAdder();
  final LongAdder synchronous = new LongAdder();

  public AuditWriter(Sink sink, int capacity, Duration maxDelay) {
    this.sink = sink;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.maxDelay = maxDelay;
    this.thread = new Thread(this::loop, "admission-audit");
    thread.setDaemon(true);
    thread.start();
  }

  public void append(AuditPacks.Event e) {
    if (!closing && queue.offer(e)) {
      return;
    }
    // Backpressure rather than loss: this request pays for its own row.
    synchronous.increment();
    writeUntilDone(AuditPacks.pack(List.of(e)));
  }

  /** Queues {@code e} if there is room; false (nothing done) when the queue is full or closing. */
  public boolean offer(AuditPacks.Event e) {
    return !closing && queue.offer(e);
  }

  public int pending() {
    return queue.size();
  }

  private void loop() {
    // Each event is written into its pack as it is taken, so the queue is all that holds trees.
    AuditPacks.Builder batch = new AuditPacks.Builder();
    while (!closing || !queue.isEmpty()) {
      try {
        AuditPacks.Event first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        long until = System.nanoTime() + maxDelay.toNanos();
        while (batch.size() < MAX_BATCH) {
          AuditPacks.Event e = queue.poll(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
          if (e == null) {
            break;
          }
          batch.add(e);
        }
        writeUntilDone(batch.finish());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void writeUntilDone(List<AuditPacks.Pack> batch) {
    int events = batch.stream().mapToInt(AuditPacks.Pack::events).sum();
    long backoff = 50;
    while (true) {
      try {
        sink.write(batch);
        written.add(events);
        return;
      } catch (Exception e) {
        failures.increment();
        LOG.errorf("cannot write %d admission audit events (retrying in %d ms): %s", events, backoff, e);
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          LOG.errorf("interrupted: %d admission audit events not written", events);
          return;
        }
        backoff = Math.min(backoff * 2, 5000);
      }
    }
  }

  /** Stops taking new events into the queue and waits until it is written. */
  @Override
  public void close() throws InterruptedException {
    closing = true;
    thread.join(30_000);
  }
}
