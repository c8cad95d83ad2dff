package dev.airseal.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airseal.verify.VerificationPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A transfer bundle's lifetime is checked with the site's clock-skew window on both ends. */
class SequenceGuardSkewTest {
  private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

  private static TransferStatement statement(Instant created, Instant expires) {
    return new TransferStatement("ci", 1, created, expires, Optional.empty(), List.of(), List.of(), List.of(),
        Optional.empty(), List.of(), List.of(), List.of());
  }

  @Test
  void createdThirtySecondsAhead_passesWithTheDefaultSkew_isRefusedWithNone() throws Exception {
    TransferStatement s = statement(NOW.plusSeconds(30), NOW.plusSeconds(86_400));
    assertThat(SequenceGuard.check(Optional.empty(), s, NOW, VerificationPolicy.DEFAULT_CLOCK_SKEW)).isEmpty();
    assertThatThrownBy(() -> SequenceGuard.check(Optional.empty(), s, NOW, Duration.ZERO))
        .isInstanceOf(TransferRejectedException.class)
        .hasMessageContaining("in the future")
        .hasMessageContaining("tolerated skew PT0S");
  }

  @Test
  void expiredThirtySecondsAgo_passesWithTheDefaultSkew_isRefusedWithNone() throws Exception {
    TransferStatement s = statement(NOW.minusSeconds(3_600), NOW.minusSeconds(30));
    assertThat(SequenceGuard.check(Optional.empty(), s, NOW, VerificationPolicy.DEFAULT_CLOCK_SKEW)).isEmpty();
    assertThatThrownBy(() -> SequenceGuard.check(Optional.empty(), s, NOW, Duration.ZERO))
        .isInstanceOf(TransferRejectedException.class)
        .hasMessageContaining("expired at");
  }

  @Test
  void beyondTheWindow_isRefusedWithTheDefaultToo() {
    TransferStatement s = statement(NOW.plusSeconds(61), NOW.plusSeconds(86_400));
    assertThatThrownBy(() -> SequenceGuard.check(Optional.empty(), s, NOW, VerificationPolicy.DEFAULT_CLOCK_SKEW))
        .hasMessageContaining("in the future");
  }
}
