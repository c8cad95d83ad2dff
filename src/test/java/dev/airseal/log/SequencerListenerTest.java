package dev.airseal.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airseal.log.sequencer.EntryDraft;
import dev.airseal.log.sequencer.Sequencer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The sequencer tells its listener every outcome, without a metrics library in the log core. */
class SequencerListenerTest {
  private static EntryDraft draft(String s) {
    return EntryDraft.of("test", "0.0.1", s.getBytes(StandardCharsets.UTF_8), List.of());
  }

  static final class Counts implements Sequencer.Listener {
    final AtomicInteger created = new AtomicInteger();
    final AtomicInteger duplicate = new AtomicInteger();
    final AtomicInteger refused = new AtomicInteger();
    final AtomicInteger batchEntries = new AtomicInteger();
    final AtomicInteger appendedInBatches = new AtomicInteger();
    final AtomicLong latencyNanos = new AtomicLong();

    @Override
    public void created(long nanos) {
      created.incrementAndGet();
      latencyNanos.addAndGet(nanos);
    }

    @Override
    public void duplicate() {
      duplicate.incrementAndGet();
    }

    @Override
    public void refused() {
      refused.incrementAndGet();
    }

    @Override
    public void batch(int size, int appended, long commitNanos) {
      batchEntries.addAndGet(size);
      appendedInBatches.addAndGet(appended);
      if (appended > 0) {
        assertThat(commitNanos).isPositive();
      }
    }
  }

  @Test
  void listener_hearsCreatedDuplicateAndRefusedAppends() throws Exception {
    var counts = new Counts();
    TransparencyLog log = LogTestSupport.open(LogTestSupport.memoryDatabase(), LogTestSupport.newSigner(), 16);
    log.listener(counts);
    // The second "a" is a duplicate within the batch or of the stored entry, depending on timing;
    // the third is a duplicate of the stored entry.
    CompletableFuture<?> a1 = log.append(draft("a"));
    CompletableFuture<?> a2 = log.append(draft("a"));
    CompletableFuture<?> b = log.append(draft("b"));
    a1.join();
    b.join();
    assertThatThrownBy(a2::join).hasMessageContaining("DuplicateEntry");
    assertThatThrownBy(() -> log.append(draft("a")).join()).hasMessageContaining("DuplicateEntry");
    log.close();
    assertThatThrownBy(() -> log.append(draft("c")).join()).hasMessageContaining("shutting down");

    assertThat(counts.created).hasValue(2);
    assertThat(counts.duplicate).hasValue(2);
    assertThat(counts.refused).hasValue(1);
    assertThat(counts.batchEntries).hasValue(4);
    assertThat(counts.appendedInBatches).hasValue(2);
    assertThat(counts.latencyNanos.get()).isPositive();
  }
}
