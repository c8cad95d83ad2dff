package dev.airseal.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Third-party programs (cosign, rekor-cli, docker-registry, skopeo) run as peers of our server.
 *
 * <p>Every run gets a throwaway {@code HOME} and a proxy that refuses connections: a peer that
 * tries to reach beyond loopback (the public TUF CDN, rekor.sigstore.dev) fails fast instead of
 * leaking traffic out of an air-gapped test. Go never proxies loopback addresses, so the local
 * servers stay reachable.
 */
public final class Peers {
  public static final Duration TIMEOUT = Duration.ofSeconds(60);
  // The discard port on loopback: nothing listens there, so connections are refused at once.
  private static final String DEAD_PROXY = "http://127.0.0.1:9";

  private Peers() {}

  /**
   * The absolute path of {@code name} on {@code PATH}. When it is absent the calling test is
   * skipped with the reason printed, except under {@code CI=true}, where .ci/install-peers.sh
   * installs every peer: a CI run without them would pass while proving nothing, so there it fails.
   */
  public static Path require(String name) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, name);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return p.toAbsolutePath();
      }
    }
    return unavailable("peer " + name + " not found on PATH (install it with .ci/install-peers.sh)");
  }

  /**
   * Skips the calling test because something a peer needs is missing, printing {@code reason};
   * under {@code CI=true}, where .ci/run installs it, fails instead.
   */
  public static <T> T unavailable(String reason) {
    if ("true".equals(System.getenv("CI"))) {
      Assertions.fail(reason + " (CI=true: peers are required)");
    }
    System.out.println("SKIPPED: " + reason);
    Assumptions.abort(reason);
    throw new AssertionError("unreachable");
  }

  /** A loopback port nobody listened on a moment ago. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What a finished peer process did. */
  public record Result(List<String> command, int exitCode, String stdout, String stderr) {
    /** The evidence for an assertion message: the command, its exit code and its output. */
    public String describe() {
      return String.join(" ", command) + "\n  exit " + exitCode + "\n  stdout: " + stdout.strip()
          + "\n  stderr: " + stderr.strip();
    }

    /** This result, after asserting the peer exited 0. */
    public Result succeeded() {
      Assertions.assertEquals(0, exitCode, () -> "peer failed: " + describe());
      return this;
    }

    /** This result, after asserting the peer exited non-zero. */
    public Result failed() {
      Assertions.assertNotEquals(0, exitCode, () -> "peer accepted what it must refuse: " + describe());
      return this;
    }
  }

  /** A peer run in {@code workDir}, which also serves as its {@code HOME}. */
  public static final class Run {
    private final Path workDir;
    private final List<String> command = new ArrayList<>();
    private final Map<String, String> env = new HashMap<>();

    private Run(Path workDir, String program, String... args) {
      this.workDir = workDir;
      command.add(require(program).toString());
      command.addAll(List.of(args));
    }

    public Run env(String key, String value) {
      env.put(key, value);
      return this;
    }

    private ProcessBuilder builder(Path stdout, Path stderr) {
      ProcessBuilder b = new ProcessBuilder(command).directory(workDir.toFile());
      Map<String, String> e = b.environment();
      e.keySet().removeIf(k -> k.toLowerCase(Locale.ROOT).endsWith("_proxy"));
      e.keySet().removeIf(k -> k.startsWith("SIGSTORE_") || k.startsWith("COSIGN_") || k.startsWith("TUF_"));
      e.put("HOME", workDir.toString());
      e.put("XDG_CONFIG_HOME", workDir.resolve(".config").toString());
      e.put("XDG_CACHE_HOME", workDir.resolve(".cache").toString());
      e.put("XDG_RUNTIME_DIR", workDir.toString());
      for (String k : List.of("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")) {
        e.put(k, DEAD_PROXY);
      }
      e.put("NO_PROXY", "");
      e.put("no_proxy", "");
      e.putAll(env);
      return b.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    }

    /** Runs to completion (or {@link #TIMEOUT}, which fails the test). */
    public Result run() {
      try {
        Path out = Files.createTempFile(workDir, "peer", ".out");
        Path err = Files.createTempFile(workDir, "peer", ".err");
        Process p = builder(out, err).start();
        if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor();
          Assertions.fail("peer timed out after " + TIMEOUT + ": " + new Result(command, -1,
              Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8)).describe());
        }
        return new Result(List.copyOf(command), p.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    /** Starts a long-running peer (a server); its output goes to {@code name}.out/.err in workDir. */
    public Process start(String name) {
      try {
        return builder(workDir.resolve(name + ".out"), workDir.resolve(name + ".err")).start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  public static Run peer(Path workDir, String program, String... args) {
    return new Run(workDir, program, args);
  }

  /** Stops a peer started with {@link Run#start}: SIGTERM, then SIGKILL if it lingers. */
  public static void stop(Process p) throws InterruptedException {
    if (p == null) {
      return;
    }
    p.destroy();
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
    }
  }
}
