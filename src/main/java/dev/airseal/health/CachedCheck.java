package dev.airseal.health;

import java.time.Duration;
import java.util.function.Supplier;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * A check too costly to run on every probe (an HSM signature, a disk write): runs at most once per
 * interval and hands out the last response in between, with the time it was made.
 */
final class CachedCheck {
  private final Supplier<HealthCheckResponse> check;
  private final long intervalMillis;
  private HealthCheckResponse last;
  private long lastAt;

  CachedCheck(Duration interval, Supplier<HealthCheckResponse> check) {
    this.check = check;
    this.intervalMillis = interval.toMillis();
  }

  synchronized HealthCheckResponse get() {
    long now = System.currentTimeMillis();
    if (last == null || now - lastAt >= intervalMillis) {
      last = check.get();
      lastAt = now;
    }
    return last;
  }
}
