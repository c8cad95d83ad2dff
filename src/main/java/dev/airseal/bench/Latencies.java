package dev.airseal.bench;

import java.util.Arrays;

/** Percentiles of a set of measured durations, in nanoseconds. */
public record Latencies(int count, long p50, long p99, long p999, long max) {

  public static Latencies of(long[] nanos) {
    if (nanos.length == 0) {
      return new Latencies(0, 0, 0, 0, 0);
    }
    long[] s = nanos.clone();
    Arrays.sort(s);
    return new Latencies(s.length, at(s, 0.50), at(s, 0.99), at(s, 0.999), s[s.length - 1]);
  }

  // Nearest-rank percentile: the smallest value with at least q of the samples at or below it.
  private static long at(long[] sorted, double q) {
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  public static String millis(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.3f ms", nanos / 1e6);
  }
}
