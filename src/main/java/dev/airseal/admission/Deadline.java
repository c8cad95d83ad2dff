package dev.airseal.admission;

import java.time.Duration;

/** A point in monotonic time that work for one request must finish by. */
public record Deadline(long nanoTime) {
  public static Deadline in(Duration d) {
    return new Deadline(System.nanoTime() + d.toNanos());
  }

  public long remainingNanos() {
    return Math.max(0, nanoTime - System.nanoTime());
  }
}
