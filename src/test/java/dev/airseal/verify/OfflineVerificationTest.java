package dev.airseal.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airseal.testing.Vectors;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Verification needs no network: {@link OfflineVerificationChild} verifies vector bundles (through
 * {@link BundleVerifier} and the verify-blob commands) in a child JVM started under {@code unshare
 * -n}, a network namespace with only a loopback interface that is down.
 *
 * <p>Why a namespace and not only JVM hooks: {@code ProxySelector} and {@code SocketImplFactory} see
 * {@code java.net.Socket} and URL connections but not NIO channels, {@code HttpClient}'s selector
 * path, DNS or native code; the kernel sees all of them. The hooks are JVM-global and one-shot, so
 * they run in the child too, where they cannot leak into other tests, and turn any attempt into a
 * reported stack trace rather than a silent denial. A control connection to a port the parent
 * listens on must fail in the child, or the isolation is not real and the test fails.
 *
 * <p>Needs {@code unshare} and the right to create a network namespace (root, or unprivileged user
 * namespaces); without them the test is skipped with the reason, or fails under {@code CI=true}.
 */
class OfflineVerificationTest {

  @Test
  void verification_succeedsInAJvmWithoutNetwork() throws Exception {
    Path vectors = Vectors.dir("sigstore-conformance").getParent();
    requireUnshare();
    try (ServerSocket control = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Path java = Path.of(System.getProperty("java.home"), "bin", "java");
      List<String> cmd =
          List.of(
              "unshare", "-n", "--",
              java.toString(),
              "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
              "-cp", System.getProperty("java.class.path"),
              OfflineVerificationChild.class.getName(),
              String.valueOf(control.getLocalPort()), vectors.toAbsolutePath().toString());
      Path log = Files.createTempFile("airseal-offline-", ".log");
      try {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean done = p.waitFor(180, TimeUnit.SECONDS);
        if (!done) {
          p.destroyForcibly();
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println(out);
        assertThat(done).as("child finished within 180 s\n" + out).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("control: 127.0.0.1:").contains("OFFLINE-OK").doesNotContain("NETWORK ATTEMPT");
      } finally {
        Files.deleteIfExists(log);
      }
    }
  }

  private static void requireUnshare() throws InterruptedException {
    String why;
    try {
      Process p = new ProcessBuilder("unshare", "-n", "true").redirectErrorStream(true).start();
      boolean done = p.waitFor(20, TimeUnit.SECONDS);
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (done && p.exitValue() == 0) {
        return;
      }
      why = "unshare -n failed (" + (done ? "exit " + p.exitValue() : "timed out") + "): " + out;
    } catch (IOException e) {
      why = "unshare is not available: " + e.getMessage();
    }
    if ("true".equals(System.getenv("CI"))) {
      Assertions.fail(why + " (CI=true: the offline check must run)");
    }
    System.out.println("SKIPPED: " + why);
    Assumptions.abort(why);
  }
}
