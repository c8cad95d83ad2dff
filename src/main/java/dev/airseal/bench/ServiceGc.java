package dev.airseal.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;

/**
 * The service's own garbage-collection counters ({@code /q/metrics}: bytes allocated, collector
 * pauses) read around a phase. Unlike latency, bytes allocated per admission hardly depend on how
 * loaded the machine is, so they compare runs taken on a busy machine; the pauses show what the
 * collector took from the tail.
 */
public record ServiceGc(double allocatedBytes, double pauses, double pauseSeconds, double pauseMaxSeconds) {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** The counters now. */
  public static ServiceGc read(URI base) throws IOException, InterruptedException {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(base.resolve("q/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("HTTP " + r.statusCode() + " from " + base.resolve("q/metrics"));
    }
    double alloc = 0;
    double count = 0;
    double sum = 0;
    double max = 0;
    for (String line : r.body().split("\n")) {
      if (line.startsWith("#")) {
        continue;
      }
      int sp = line.lastIndexOf(' ');
      if (sp < 0) {
        continue;
      }
      double v;
      try {
        v = Double.parseDouble(line.substring(sp + 1));
      } catch (NumberFormatException e) {
        continue;
      }
      if (line.startsWith("jvm_gc_memory_allocated_bytes_total")) {
        alloc += v;
      } else if (line.startsWith("jvm_gc_pause_seconds_count")) {
        count += v;
      } else if (line.startsWith("jvm_gc_pause_seconds_sum")) {
        sum += v;
      } else if (line.startsWith("jvm_gc_pause_seconds_max")) {
        max = Math.max(max, v);
      }
    }
    return new ServiceGc(alloc, count, sum, max);
  }

  /** What happened between {@code before} and this reading, over {@code admissions}, as one line. */
  public String since(ServiceGc before, String phase, long admissions, double seconds) {
    double pausesIn = pauses - before.pauses;
    double pausedMs = (pauseSeconds - before.pauseSeconds) * 1e3;
    return String.format(Locale.ROOT,
        "%-28s %7.1f KB allocated per admission; %4.0f GC pauses, %6.1f ms paused (%.2f%% of the phase, mean %.1f ms)",
        phase, (allocatedBytes - before.allocatedBytes) / 1e3 / Math.max(1, admissions), pausesIn, pausedMs,
        pausedMs / 10 / Math.max(1e-9, seconds), pausesIn == 0 ? 0 : pausedMs / pausesIn);
  }
}
