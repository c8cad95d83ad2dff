package dev.airseal.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airseal.log.Hex;
import dev.airseal.testing.ServiceProcess;
import dev.airseal.testing.TestEntries;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release tarball that {@code mvn package} built, installed as an operator installs it: under
 * {@code --prefix} (no root, no systemd), so the installer runs the service as a background process.
 */
class InstallerIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String JAVA = ProcessHandle.current().info().command().orElse("java");

  record Run(int code, String output) {}

  @Test
  void lifecycle_installIsIdempotent_upgradeSwaps_failedUpgradeRollsBack_uninstallKeepsData(
      @TempDir Path tmp) throws Exception {
    Path release = unpack(tmp.resolve("unpacked"));
    Path root = tmp.resolve("root");
    int port = ServiceProcess.freePort();
    try {
      Run first = install(release, root, "--port", String.valueOf(port));
      assertThat(first.code()).as(first.output()).isZero();
      assertThat(health(port)).isEqualTo(200);
      assertThat(mode(root.resolve("etc/airseal"))).isEqualTo("rwxr-x---");
      assertThat(mode(root.resolve("var/lib/airseal"))).isEqualTo("rwx------");
      assertThat(mode(root.resolve("etc/airseal/airseal.env"))).isEqualTo("rw-------");
      assertThat(mode(root.resolve("etc/airseal/application.properties"))).isEqualTo("rw-r-----");

      // The generated write token reaches the service: writes need it, and with it they succeed.
      String token = writeToken(root);
      assertThat(postEntry(port, null)).isEqualTo(401);
      assertThat(postEntry(port, token)).isEqualTo(201);

      Run again = install(release, root);
      assertThat(again.code()).as(again.output()).isZero();
      assertThat(again.output()).contains("no changes").doesNotContain("changed:");

      Run sameUpgrade = install(release, root, "--upgrade");
      assertThat(sameUpgrade.code()).as(sameUpgrade.output()).isZero();
      assertThat(sameUpgrade.output()).contains("already current", "no changes");

      Path next = variant(release, tmp.resolve("next"), "9.9.9-next", false);
      Run upgrade = install(next, root, "--upgrade");
      assertThat(upgrade.code()).as(upgrade.output()).isZero();
      assertThat(current(root)).startsWith("versions/9.9.9-next-");
      assertThat(health(port)).isEqualTo(200);
      assertThat(treeSize(port)).isEqualTo(2); // the genesis entry and ours

      // A release whose checksums are consistent but whose application jar cannot load.
      Path broken = variant(release, tmp.resolve("broken"), "9.9.10-broken", true);
      Run failed = install(broken, root, "--upgrade", "--timeout", "90");
      assertThat(failed.code()).as(failed.output()).isNotZero();
      assertThat(failed.output())
          .contains("9.9.10-broken-", "failed its health check", "rolled back to 9.9.9-next-");
      assertThat(current(root)).startsWith("versions/9.9.9-next-");
      assertThat(health(port)).isEqualTo(200);
      assertThat(treeSize(port)).isEqualTo(2); // the genesis entry and ours

      Run uninstall =
          run(
              List.of(
                  "bash",
                  root.resolve("opt/airseal/current/installer/uninstall.sh").toString(),
                  "--prefix",
                  root.toString()));
      assertThat(uninstall.code()).as(uninstall.output()).isZero();
      assertThat(root.resolve("opt/airseal")).doesNotExist();
      assertThat(root.resolve("var/lib/airseal/db")).isDirectory();
      assertThat(root.resolve("etc/airseal/airseal.env")).isRegularFile();
      assertThat(health(port)).isEqualTo(-1);
    } finally {
      killLeftover(root);
    }
  }

  @Test
  void install_refusesAReleaseThatDoesNotMatchSha256sums(@TempDir Path tmp) throws Exception {
    Path release = unpack(tmp.resolve("unpacked"));
    Files.writeString(release.resolve("docs/configuration.md"), "tampered\n");
    Files.writeString(release.resolve("app/lib/extra.jar"), "not listed\n");

    Run r = install(release, tmp.resolve("root"), "--no-start");

    assertThat(r.code()).isNotZero();
    assertThat(r.output()).contains("do not match SHA256SUMS", "docs/configuration.md: FAILED");
    assertThat(tmp.resolve("root/opt/airseal")).doesNotExist();
  }

  @Test
  void install_namesTheJavaThatIsTooOld(@TempDir Path tmp) throws Exception {
    Path release = unpack(tmp.resolve("unpacked"));
    Path oldJava = tmp.resolve("java");
    Files.writeString(
        oldJava, "#!/bin/sh\necho 'openjdk version \"11.0.22\" 2024-01-16' >&2\n");
    oldJava.toFile().setExecutable(true);

    Run tooOld = run(installCommand(release, tmp.resolve("root"), oldJava.toString()));
    Run missing = run(installCommand(release, tmp.resolve("root"), "/nonexistent/bin/java"));

    assertThat(tooOld.code()).isNotZero();
    assertThat(tooOld.output()).contains("is Java 11.0.22; Airseal needs Java 17 or newer");
    assertThat(missing.code()).isNotZero();
    assertThat(missing.output()).contains("/nonexistent/bin/java is not an executable file");
  }

  @Test
  void scripts_passBashSyntaxCheckAndShellcheck() throws Exception {
    List<String> scripts;
    try (Stream<Path> s = Files.list(Path.of("installer"))) {
      scripts =
          s.filter(p -> p.toString().endsWith(".sh")).map(Path::toString).sorted().toList();
    }
    assertThat(scripts).contains("installer/install.sh", "installer/uninstall.sh");
    for (String script : scripts) {
      Run syntax = run(List.of("bash", "-n", script));
      assertThat(syntax.code()).as(script + ": " + syntax.output()).isZero();
    }
    boolean haveShellcheck = onPath("shellcheck");
    if (!haveShellcheck && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("shellcheck is not installed (Debian: apt-get install shellcheck)");
    }
    Assumptions.assumeTrue(
        haveShellcheck, "shellcheck is not installed (Debian: apt-get install shellcheck)");
    List<String> cmd = new ArrayList<>(List.of("shellcheck", "-x"));
    cmd.addAll(scripts);
    Run lint = run(cmd);
    assertThat(lint.code()).as(lint.output()).isZero();
  }

  // --- helpers ---------------------------------------------------------------------------------

  /** The newest release tarball next to the packaged application. */
  private static Path tarball() throws IOException {
    Path target = ServiceProcess.jar().getParent().getParent();
    try (Stream<Path> s = Files.list(target)) {
      return s.filter(p -> p.getFileName().toString().matches("airseal-.+\\.tar\\.gz"))
          .max(Comparator.comparing(p -> p.toFile().lastModified()))
          .orElseThrow(
              () -> new IllegalStateException("no airseal-*.tar.gz in " + target + ": mvn package"));
    }
  }

  private static Path unpack(Path dir) throws Exception {
    Files.createDirectories(dir);
    Run r = run(List.of("tar", "-xzf", tarball().toString(), "-C", dir.toString()));
    assertThat(r.code()).as(r.output()).isZero();
    try (Stream<Path> s = Files.list(dir)) {
      return s.collect(Collectors.toList()).get(0);
    }
  }

  /** A copy of the release under another version, optionally with its application jar broken. */
  private static Path variant(Path release, Path dir, String version, boolean breakJar)
      throws Exception {
    Run copy = run(List.of("cp", "-R", release.toString(), dir.toString()));
    assertThat(copy.code()).as(copy.output()).isZero();
    Files.writeString(dir.resolve("VERSION"), version + "\n");
    if (breakJar) {
      try (Stream<Path> s = Files.list(dir.resolve("app/app"))) {
        for (Path jar : s.filter(p -> p.toString().endsWith(".jar")).toList()) {
          Files.writeString(jar, "not a jar");
        }
      }
    }
    writeSha256sums(dir);
    return dir;
  }

  /** What make-release.sh writes: sha256sum lines for every other file, sorted by path. */
  private static void writeSha256sums(Path dir) throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files =
          s.filter(Files::isRegularFile)
              .filter(p -> !p.getFileName().toString().equals("SHA256SUMS"))
              .sorted(Comparator.comparing(p -> dir.relativize(p).toString()))
              .toList();
    }
    StringBuilder sums = new StringBuilder();
    for (Path f : files) {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f));
      sums.append(Hex.encode(digest)).append("  ").append(dir.relativize(f)).append('\n');
    }
    Files.writeString(dir.resolve("SHA256SUMS"), sums.toString());
  }

  private static List<String> installCommand(Path release, Path root, String java) {
    return new ArrayList<>(
        List.of(
            "bash",
            release.resolve("installer/install.sh").toString(),
            "--prefix",
            root.toString(),
            "--java",
            java));
  }

  private static Run install(Path release, Path root, String... options) throws Exception {
    List<String> cmd = installCommand(release, root, JAVA);
    cmd.addAll(List.of(options));
    return run(cmd);
  }

  private static Run run(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    // The installer's service detaches from its output, so reading to the end does not wait for it.
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
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

  private static int postEntry(int port, String token) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/log/entries"))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    TestEntries.hashedRekord(
                        TestEntries.p256(), "installed".getBytes(StandardCharsets.UTF_8))));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static long treeSize(int port) throws Exception {
    String body =
        HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/log"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return JSON.readTree(body).path("treeSize").asLong(-1);
  }

  private static String writeToken(Path root) throws IOException {
    return Files.readAllLines(root.resolve("etc/airseal/airseal.env")).stream()
        .filter(l -> l.startsWith("AIRSEAL_API_WRITE_TOKEN="))
        .map(l -> l.substring("AIRSEAL_API_WRITE_TOKEN=".length()))
        .findFirst()
        .orElseThrow();
  }

  private static String current(Path root) throws IOException {
    return Files.readSymbolicLink(root.resolve("opt/airseal/current")).toString();
  }

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  private static boolean onPath(String command) {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
        .anyMatch(d -> Files.isExecutable(Path.of(d, command)));
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
