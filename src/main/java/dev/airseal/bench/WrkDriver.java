package dev.airseal.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Drives AdmissionReviews with {@code wrk} (Debian package {@code wrk}): a C load generator costs
 * the shared cores a fraction of what a JVM client does, so on a 2-core machine the figures are
 * the service's rather than the generator's. Latency is wrk's (from request sent to response
 * read, per connection, one request in flight each). wrk does not check the server certificate;
 * the Java driver does.
 */
public final class WrkDriver {
  private WrkDriver() {}

  /** The {@code wrk} executable on the PATH, if any. */
  public static Optional<Path> find() {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Path p = Path.of(dir, "wrk");
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /**
   * Posts {@code bodies} round-robin to {@code base + path} over {@code connections} for {@code
   * seconds}, wrk run through {@code launcher} (e.g. {@code taskset -c 1}; empty: directly),
   * offering {@code ratePerSecond} requests a second on a fixed schedule (0: as fast as answers
   * come); {@code connections} must be enough to carry the rate at the latency seen.
   */
  public static AdmissionLoad.Phase run(
      List<String> launcher, Path wrk, String name, Path workDir, String base, String path, List<byte[]> bodies,
      int connections, double seconds, int ratePerSecond) throws IOException, InterruptedException {
    Path lines = writeLines(workDir.resolve("wrk-bodies.jsonl"), bodies, "a review body");
    Path script = script(workDir, "admission.lua");
    List<String> cmd = new ArrayList<>(launcher);
    cmd.addAll(List.of(wrk.toString(), "-t1", "-c" + connections,
        "-d" + Math.max(1, Math.round(seconds)) + "s", "--timeout", "10s", "-s", script.toString(), base,
        "--", lines.toString(), path, Integer.toString(ratePerSecond)));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int rc = p.waitFor();
    String summary = output.lines().filter(l -> l.startsWith("AIRSEAL ")).findFirst()
        .orElseThrow(() -> new IOException("wrk exited " + rc + " without a summary:\n" + output));
    Map<String, Long> v = new HashMap<>();
    for (String kv : summary.substring("AIRSEAL ".length()).trim().split(" ")) {
      String[] parts = kv.split("=", 2);
      v.put(parts[0], Long.parseLong(parts[1]));
    }
    if (v.get("bad") > 0 || v.get("errors") > 0) {
      throw new IOException(String.format(Locale.ROOT, "%s: %d answers were not HTTP 200 and %d requests failed (wrk)",
          name, v.get("bad"), v.get("errors")));
    }
    Latencies latency = new Latencies(Math.toIntExact(v.get("requests")), v.get("p50") * 1000, v.get("p99") * 1000,
        v.get("p999") * 1000, v.get("max") * 1000);
    return new AdmissionLoad.Phase(name, v.get("micros") * 1000, latency, Math.toIntExact(v.get("denied")));
  }

  /** {@code bodies} one per line, the file wrk's scripts read; {@code what} names a body in the error. */
  static Path writeLines(Path file, List<byte[]> bodies, String what) throws IOException {
    try (var out = Files.newOutputStream(file)) {
      for (byte[] b : bodies) {
        for (byte x : b) {
          if (x == '\n') {
            throw new IllegalArgumentException(what + " holds a newline; wrk reads one per line");
          }
        }
        out.write(b);
        out.write('\n');
      }
    }
    return file;
  }

  /** The wrk script {@code name} (a resource beside this class) copied into {@code workDir}. */
  static Path script(Path workDir, String name) throws IOException {
    Path script = workDir.resolve(name);
    try (InputStream in = WrkDriver.class.getResourceAsStream(name)) {
      Files.write(script, in.readAllBytes());
    }
    return script;
  }
}
