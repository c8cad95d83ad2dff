package dev.airseal.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airseal.log.sequencer.Appended;
import dev.airseal.log.sequencer.EntryDraft;
import dev.airseal.log.sequencer.Sequencer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Callers' continuations (the REST layer builds its 201 there) run off the sequencer thread: a slow
 * one must not hold up the batches after it.
 */
class SequencerCompletionTest {
  private static EntryDraft draft(String s) {
    return EntryDraft.of("test", "0.0.1", s.getBytes(StandardCharsets.UTF_8), List.of());
  }

  @Test
  void aBlockedContinuation_doesNotStopTheNextBatch() throws Exception {
    TransparencyLog log = LogTestSupport.open(LogTestSupport.memoryDatabase(), LogTestSupport.newSigner(), 16);
    CountDownLatch release = new CountDownLatch(1);
    // The first batch waits (on the sequencer thread, before answering) until the slow
    // continuation is attached, so it cannot run on this thread instead.
    CountDownLatch attached = new CountDownLatch(1);
    log.listener(new Sequencer.Listener() {
      @Override
      public void batch(int size, int appended, long commitNanos) {
        try {
          attached.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    });
    try {
      CompletableFuture<Appended> a = log.append(draft("a"));
      java.util.concurrent.atomic.AtomicReference<String> ranOn = new java.util.concurrent.atomic.AtomicReference<>();
      CompletableFuture<Void> slow = a.thenRun(() -> {
        ranOn.set(Thread.currentThread().getName());
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      attached.countDown();
      // Polled, not joined: a thread that waits in get() helps run a's continuations itself.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!a.isDone() && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(a.getNow(null).entry().index()).isZero();
      // Were continuations run on the sequencer thread, "b" would wait for the latch.
      Appended b = log.append(draft("b")).get(10, TimeUnit.SECONDS);
      assertThat(b.entry().index()).isEqualTo(1);
      assertThat(slow).isNotDone();
      while (ranOn.get() == null && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(ranOn.get()).startsWith("airseal-append-done-");
    } finally {
      release.countDown();
      log.close();
    }
  }

  @Test
  void closing_stillAnswersEveryIntegratedAppend() throws Exception {
    TransparencyLog log = LogTestSupport.open(LogTestSupport.memoryDatabase(), LogTestSupport.newSigner(), 16);
    List<CompletableFuture<Appended>> all =
        java.util.stream.IntStream.range(0, 200).mapToObj(i -> log.append(draft("e" + i))).toList();
    log.close();
    for (CompletableFuture<Appended> f : all) {
      assertThat(f).succeedsWithin(java.time.Duration.ofSeconds(10));
    }
    assertThat(log.published().tree().size()).isEqualTo(200);
  }
}
