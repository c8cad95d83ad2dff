package dev.airseal.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The benches' loop: a fixed number of calls shared by the threads, each call number once. */
class TimedRunTest {
  @Test
  void calls_makesEachNumberedCallOnceBetweenTheThreads() {
    Set<Long> seen = ConcurrentHashMap.newKeySet();
    Set<Integer> threads = ConcurrentHashMap.newKeySet();
    TimedRun.Timed t = TimedRun.calls(4, 1_000, Duration.ofMinutes(1), (thread, i) -> {
      assertThat(seen.add(i)).as("call %d made twice", i).isTrue();
      threads.add(thread);
    }, "test");
    assertThat(seen).hasSize(1_000).allMatch(i -> i >= 0 && i < 1_000);
    assertThat(t.latency().count()).isEqualTo(1_000);
    assertThat(threads).isSubsetOf(0, 1, 2, 3);
  }

  @Test
  void calls_stopsWhenTheDurationIsOver() {
    TimedRun.Timed t = TimedRun.calls(2, Long.MAX_VALUE - 1, Duration.ofMillis(200), (thread, i) -> Thread.sleep(5),
        "test");
    assertThat(t.latency().count()).isPositive().isLessThan(1_000);
    assertThat(t.nanos()).isLessThan(Duration.ofSeconds(10).toNanos());
  }

  @Test
  void calls_rethrowsTheFirstFailure() {
    assertThatThrownBy(() -> TimedRun.calls(2, 100, Duration.ofMinutes(1), (thread, i) -> {
      if (i == 10) {
        throw new IllegalStateException("call 10 failed");
      }
    }, "test")).hasMessageContaining("call 10 failed");
  }
}
