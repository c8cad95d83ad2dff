package dev.airseal.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airseal.testing.JarCli;
import dev.airseal.testing.ServiceProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The playbook {@code ansible/site.yml} run against this machine with the built release tarball,
 * under {@code airseal_prefix} (no root, no systemd): it installs and starts the service, and a
 * second run changes nothing; given a webhook certificate it installs it (the key hidden from the
 * output), restarts the service, which then presents it on its HTTPS port, and again a second run
 * (and a check-mode run) changes nothing.
 */
class AnsibleIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String JAVA = ProcessHandle.current().info().command().orElse("java");
  private static final Pattern RECAP =
      Pattern.compile(
          "localhost\\s*:\\s*ok=(\\d+)\\s+changed=(\\d+)\\s+unreachable=(\\d+)\\s+failed=(\\d+)");

  record Run(int code, String output) {}

  @Test
  void sitePlaybook_installsAndStarts_secondRunChangesNothing_thenInstallsTheWebhookCertificate(
      @TempDir Path tmp) throws Exception {
    requireTool("ansible-playbook", "ansible", true);
    Path root = tmp.resolve("root");
    Files.createDirectories(root);
    int port = ServiceProcess.freePort();
    int httpsPort = ServiceProcess.freePort();
    List<String> ports = List.of("-e", "airseal_port=" + port, "-e", "airseal_https_port=" + httpsPort);
    try {
      Run first = playbook(root, ports);
      assertThat(first.code()).as(first.output()).isZero();
      assertThat(recap(first)).as(first.output()).containsExactly(0, 0);
      assertThat(health(port)).as(first.output()).isEqualTo(200);
      Path conf = root.resolve("etc/airseal/application.properties");
      assertThat(Files.readString(conf))
          .contains("quarkus.http.port=" + port, "airseal.data-dir=" + root + "/var/lib/airseal",
              "quarkus.http.ssl-port=" + httpsPort)
          .doesNotContain("quarkus.http.ssl.certificate.files=");
      // No certificate given: the service's own, made at first start, is what it serves.
      Path bootstrap = root.resolve("var/lib/airseal/tls/server.crt");
      assertThat(served(httpsPort)).isEqualTo(certificate(bootstrap));

      Run second = playbook(root, ports);
      assertThat(second.code()).as(second.output()).isZero();
      assertThat(second.output()).containsPattern("localhost\\s*:\\s*ok=\\d+\\s+changed=0\\s");
      assertThat(health(port)).isEqualTo(200);

      // A site certificate: the role installs it, restarts the service, which then serves it.
      Path tls = tmp.resolve("site-tls");
      JarCli.Result init = JarCli.run(tmp, java.util.Map.of(), List.of(),
          "webhook", "tls", "init", "--dir", tls.toString(), "--name", "airseal.site.example", "--name", "127.0.0.1");
      assertThat(init.exit()).as(init.err()).isZero();
      List<String> withFiles = new ArrayList<>(ports);
      withFiles.addAll(List.of("-e", "airseal_tls_cert_file=" + tls.resolve("server.crt"),
          "-e", "airseal_tls_key_file=" + tls.resolve("server.key"),
          "-e", "airseal_tls_ca_file=" + tls.resolve("ca.crt")));
      List<String> diff = new ArrayList<>(withFiles);
      diff.add("--diff");
      Run third = playbook(root, diff);
      assertThat(third.code()).as(third.output()).isZero();
      assertThat(third.output()).containsPattern("localhost\\s*:\\s*ok=\\d+\\s+changed=[1-9]");
      assertThat(health(port)).isEqualTo(200);
      Path etcTls = root.resolve("etc/airseal/tls");
      assertThat(served(httpsPort)).isEqualTo(certificate(tls.resolve("server.crt")))
          .isNotEqualTo(certificate(bootstrap));
      assertThat(Files.readString(conf)).contains(
          "quarkus.http.ssl.certificate.files=" + etcTls.resolve("server.crt"),
          "quarkus.http.ssl.certificate.key-files=" + etcTls.resolve("server.key"));
      assertThat(mode(etcTls.resolve("server.key"))).isEqualTo("rw-------");
      assertThat(Files.readString(etcTls.resolve("ca.crt"))).isEqualTo(Files.readString(tls.resolve("ca.crt")));
      assertThat(bootstrap).as("the service's own certificate is left in place").isRegularFile();
      // --diff shows the certificate's content; the key's must not appear anywhere.
      for (String keyLine : pemBody(tls.resolve("server.key"))) {
        assertThat(third.output()).doesNotContain(keyLine);
      }
      assertThat(third.output()).contains("BEGIN CERTIFICATE");

      // The same PEM given inline (e.g. from Ansible Vault) is the same installation: no change.
      Path inline = tmp.resolve("inline-tls.json");
      Files.writeString(inline, new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(java.util.Map.of(
          "airseal_tls_cert", Files.readString(tls.resolve("server.crt")),
          "airseal_tls_key", Files.readString(tls.resolve("server.key")),
          "airseal_tls_ca", Files.readString(tls.resolve("ca.crt")))));
      List<String> withInline = new ArrayList<>(ports);
      withInline.addAll(List.of("-e", "@" + inline));
      Run fourth = playbook(root, withInline);
      assertThat(fourth.code()).as(fourth.output()).isZero();
      assertThat(fourth.output()).containsPattern("localhost\\s*:\\s*ok=\\d+\\s+changed=0\\s");

      List<String> check = new ArrayList<>(withFiles);
      check.add("--check");
      Run checked = playbook(root, check);
      assertThat(checked.code()).as(checked.output()).isZero();
      assertThat(checked.output()).containsPattern("localhost\\s*:\\s*ok=\\d+\\s+changed=0\\s");
      assertThat(served(httpsPort)).isEqualTo(certificate(tls.resolve("server.crt")));

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
  void role_refusesAKeyWithoutItsCertificate(@TempDir Path tmp) throws Exception {
    requireTool("ansible-playbook", "ansible", true);
    Path key = Files.writeString(tmp.resolve("server.key"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    Run r = playbook(tmp.resolve("root"), List.of("-e", "airseal_tls_key_file=" + key));
    assertThat(r.code()).as(r.output()).isNotZero();
    assertThat(r.output()).contains("give the webhook certificate and its key together");
    assertThat(tmp.resolve("root/etc/airseal/tls")).doesNotExist();
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

  private static Run playbook(Path root, List<String> options) throws Exception {
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
                "airseal_java=" + JAVA));
    cmd.addAll(options);
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

  /** The certificate the HTTPS listener presents (trusting any: the test compares it). */
  private static X509Certificate served(int port) throws Exception {
    TrustManager[] any = {
      new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
          return new X509Certificate[0];
        }
      }
    };
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, any, null);
    try (SSLSocket socket = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.startHandshake();
      return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }
  }

  private static X509Certificate certificate(Path pem) throws Exception {
    try (var in = Files.newInputStream(pem)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  private static List<String> pemBody(Path pem) throws IOException {
    return Files.readAllLines(pem).stream().filter(l -> !l.startsWith("-----") && l.length() > 16).toList();
  }

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
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
