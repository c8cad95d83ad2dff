package dev.airseal.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airseal.testing.ServiceProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The playbook {@code ansible/site.yml} run against this machine with the built release tarball,
 * under {@code airseal_prefix} (no root, no systemd): it installs and starts the service, and a
 * second run changes nothing.
 */
class AnsibleIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String JAVA = ProcessHandle.current().info().command().orElse("java");
  private static final Pattern RECAP =
      Pattern.compile(
          "localhost\\s*:\\s*ok=(\\d+)\\s+changed=(\\d+)\\s+unreachable=(\\d+)\\s+failed=(\\d+)");

  record Run(int code, String output) {}

  @Test
  void sitePlaybook_installsAndStarts_secondRunChangesNothing(@TempDir Path tmp) throws Exception {
    requireTool("ansible-playbook", "ansible", true);
    Path root = tmp.resolve("root");
    Files.createDirectories(root);
    int port = ServiceProcess.freePort();
    try {
      Run first = playbook(root, port);
      assertThat(first.code()).as(first.output()).isZero();
      assertThat(recap(first)).as(first.output()).containsExactly(0, 0);
      assertThat(health(port)).as(first.output()).isEqualTo(200);
      assertThat(Files.readString(root.resolve("etc/airseal/application.properties")))
          .contains("quarkus.http.port=" + port, "airseal.data-dir=" + root + "/var/lib/airseal");

      Run second = playbook(root, port);
      assertThat(second.code()).as(second.output()).isZero();
      assertThat(second.output()).containsPattern("localhost\\s*:\\s*ok=\\d+\\s+changed=0\\s");
      assertThat(health(port)).isEqualTo(200);

      Run check = playbook(root, port, "--check");
      assertThat(check.code()).as(check.output()).isZero();
      assertThat(check.output()).containsPattern("localhost\\s*:\\s*ok=\\d+\\s+changed=0\\s");

      Run uninstall =
          run(
              List.of(
                  "bash",
                  root.resolve("opt/airseal/current/installer/uninstall.sh").toString(),
                  "--prefix",
                  root.toString()));
      assertThat(uninstall.code()).as(uninstall.output()).isZero();
      assertThat(health(port)).isEqualTo(-1);
    } finally {
      killLeftover(root);
    }
  }

  @Test
  void role_passesAnsibleLint() throws Exception {
    // ansible-lint is optional (not in .ci/install-peers.sh): skipped when missing, even on CI.
    requireTool("ansible-lint", "ansible-lint", false);
    Run lint =
        run(
            List.of(
                "ansible-lint", "--offline", "-p", "ansible/site.yml", "ansible/roles/airseal"));
    assertThat(lint.code()).as(lint.output()).isZero();
  }

  // --- helpers ---------------------------------------------------------------------------------

  /** Skips (prints why) when the tool is missing; a failure instead on CI when it is required. */
  private static void requireTool(String command, String debianPackage, boolean requiredOnCi) {
    boolean present =
        Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
            .anyMatch(d -> Files.isExecutable(Path.of(d, command)));
    String reason = command + " is not installed (Debian: apt-get install " + debianPackage + ")";
    if (!present) {
      if (requiredOnCi && "true".equals(System.getenv("CI"))) {
        throw new AssertionError(reason);
      }
      System.out.println("AnsibleIT: skipped: " + reason);
    }
    Assumptions.assumeTrue(present, reason);
  }

  private static Run playbook(Path root, int port, String... options) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "ansible-playbook",
                "-i",
                "localhost,",
                "-c",
                "local",
                "ansible/site.yml",
                "-e",
                "airseal_prefix=" + root,
                "-e",
                "airseal_release_tarball=" + tarball(),
                "-e",
                "airseal_port=" + port,
                "-e",
                "airseal_java=" + JAVA));
    cmd.addAll(List.of(options));
    return run(cmd);
  }

  /** [failed, unreachable] from the PLAY RECAP line of localhost. */
  private static List<Integer> recap(Run r) {
    Matcher m = RECAP.matcher(r.output());
    assertThat(m.find()).as("no PLAY RECAP for localhost in:\n" + r.output()).isTrue();
    return List.of(Integer.parseInt(m.group(4)), Integer.parseInt(m.group(3)));
  }

  /** The newest release tarball next to the packaged application. */
  private static Path tarball() throws IOException {
    Path target = ServiceProcess.jar().getParent().getParent();
    try (Stream<Path> s = Files.list(target)) {
      return s.filter(p -> p.getFileName().toString().matches("airseal-.+\\.tar\\.gz"))
          .max(Comparator.comparing(p -> p.toFile().lastModified()))
          .orElseThrow(
              () -> new IllegalStateException("no airseal-*.tar.gz in " + target + ": mvn package"))
          .toAbsolutePath();
    }
  }

  private static Run run(List<String> cmd) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("ANSIBLE_NOCOLOR", "1");
    pb.environment().put("ANSIBLE_FORCE_COLOR", "0");
    Process p = pb.start();
    // The service detaches from the installer's output, so reading to the end does not wait for it.
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + cmd + "\n" + out);
    }
    return new Run(p.exitValue(), out);
  }

  private static int health(int port) throws InterruptedException {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException down) {
      return -1;
    }
  }

  /** A service the test started must not outlive it, whatever failed. */
  private static void killLeftover(Path root) throws IOException {
    Path pidFile = root.resolve("run/airseal/airseal.pid");
    if (Files.exists(pidFile)) {
      Optional<ProcessHandle> p =
          ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim()));
      p.filter(h -> h.info().commandLine().orElse("").contains(root.toString()))
          .ifPresent(ProcessHandle::destroyForcibly);
    }
  }
}
