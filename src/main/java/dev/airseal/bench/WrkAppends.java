package dev.airseal.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP appends driven by {@code wrk}: a C load generator leaves the 2 shared cores to the service,
 * where a JVM client took about half of them. Each pre-signed proposal is posted once, so only 201s
 * count; afterwards the tree must have grown by at least that many (and by no more than the
 * requests still in flight when wrk stopped), else the run is refused.
 */
public final class WrkAppends {
  private WrkAppends() {}

  /** A timed wrk run and what the log and the service did meanwhile. */
  public record Result(
      String label,
      long created,
      long nanos,
      Latencies latency,
      long treeGrowth,
      long serviceCpuNanos) {
    public double perSecond() {
      return created / (nanos / 1e9);
    }

    /** Service CPU time (all threads) per 201, in microseconds; 0 when unknown. */
    public double cpuMicrosPerAppend() {
      return created == 0 ? 0 : serviceCpuNanos / 1e3 / created;
    }
  }

  /**
   * Posts {@code proposals} over {@code connections} for {@code seconds} (one request in flight
   * per connection), measuring the service process {@code servicePid}'s CPU time meanwhile. A
   * warm-up ({@code mayRunOut}) may post every proposal before its time is up and go on reading the
   * log, where a timed run is refused.
   */
  public static Result run(
      Path wrk,
      String label,
      Path workDir,
      URI base,
      List<byte[]> proposals,
      int connections,
      double seconds,
      long servicePid,
      boolean mayRunOut)
      throws IOException, InterruptedException {
    Files.createDirectories(workDir);
    Path lines = WrkDriver.writeLines(workDir.resolve("wrk-proposals.jsonl"), proposals, "a proposal");
    Path script = WrkDriver.script(workDir, "appends.lua");
    String origin = base.toString().replaceAll("/+$", "");
    List<String> cmd =
        List.of(
            wrk.toString(), "-t1", "-c" + connections, "-d" + Math.max(1, Math.round(seconds)) + "s",
            "--timeout", "30s", "-s", script.toString(), origin, "--", lines.toString(),
            "/api/v1/log/entries");
    long sizeBefore = treeSize(base);
    long cpuBefore = cpuNanos(servicePid);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int rc = p.waitFor();
    long cpu = cpuNanos(servicePid) - cpuBefore;
    Map<String, Long> v = summary(output, rc);
    // Requests in flight when wrk stopped may still be integrated: wait until the tree stands still.
    long sizeAfter = settledTreeSize(base);
    long created = v.get("created");
    long growth = sizeAfter - sizeBefore;
    if (v.get("exhausted") > 0 && !mayRunOut) {
      throw new IOException(String.format(Locale.ROOT,
          "%s: all %,d proposals were posted before the %.0f s were up; raise --wrk-max-rate",
          label, proposals.size(), seconds));
    }
    if (v.get("duplicate") > 0 || v.get("bad") > 0 || v.get("errors") > 0) {
      throw new IOException(String.format(Locale.ROOT,
          "%s: %d answers were 409, %d another status, %d requests failed (wrk)",
          label, v.get("duplicate"), v.get("bad"), v.get("errors")));
    }
    if (growth < created || growth > created + connections) {
      throw new IOException(String.format(Locale.ROOT,
          "%s: wrk counted %,d answers 201 but the tree grew by %,d (from %,d to %,d)",
          label, created, growth, sizeBefore, sizeAfter));
    }
    Latencies latency = new Latencies(Math.toIntExact(v.get("requests")), v.get("p50") * 1000,
        v.get("p99") * 1000, v.get("p999") * 1000, v.get("max") * 1000);
    return new Result(label, created, v.get("micros") * 1000, latency, growth, cpu);
  }

  private static Map<String, Long> summary(String output, int rc) throws IOException {
    String line = output.lines().filter(l -> l.startsWith("AIRSEAL ")).findFirst()
        .orElseThrow(() -> new IOException("wrk exited " + rc + " without a summary:\n" + output));
    Map<String, Long> v = new HashMap<>();
    for (String kv : line.substring("AIRSEAL ".length()).trim().split(" ")) {
      String[] parts = kv.split("=", 2);
      v.put(parts[0], Long.parseLong(parts[1]));
    }
    return v;
  }

  private static long cpuNanos(long pid) {
    return ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration())
        .map(java.time.Duration::toNanos).orElse(0L);
  }

  private static long settledTreeSize(URI base) throws IOException, InterruptedException {
    long last = treeSize(base);
    for (int i = 0; i < 100; i++) {
      Thread.sleep(100);
      long now = treeSize(base);
      if (now == last) {
        return now;
      }
      last = now;
    }
    return last;
  }

  /** {@code treeSize} of {@code GET /api/v1/log}. */
  static long treeSize(URI base) throws IOException {
    HttpURLConnection c = (HttpURLConnection) base.resolve("api/v1/log").toURL().openConnection();
    c.setConnectTimeout(10_000);
    c.setReadTimeout(30_000);
    try (InputStream in = c.getInputStream()) {
      return new ObjectMapper().readTree(in).get("treeSize").asLong();
    } finally {
      c.disconnect();
    }
  }
}
