package dev.airseal.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airseal.testing.Peers;
import dev.airseal.testing.ServiceProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full run in which every secret is really used: the log key in a SoftHSM token opened with its
 * PIN, an encrypted cosign key opened with its password to sign a blob into the log, the write token
 * on appends, console logins and a backup, a database password, and a backup passphrase (right and
 * wrong). Then the output of the service
 * (DEBUG for Airseal, the access log on) and of every CLI run is searched for each secret.
 */
class FullRunSecretsIT {
  private static final String MODULE = "/usr/lib/softhsm/libsofthsm2.so";
  private static final String PIN = "pin-" + UUID.randomUUID();
  private static final String SO_PIN = "so-" + UUID.randomUUID();
  private static final String COSIGN_PASSWORD = "pw-" + UUID.randomUUID();
  private static final String TOKEN = "tok-" + UUID.randomUUID();
  private static final String DB_PASSWORD = "db-" + UUID.randomUUID();
  private static final String BACKUP_PASSPHRASE = "bk-" + UUID.randomUUID();

  private final StringBuilder cliOutput = new StringBuilder();

  @Test
  void fullRun_logsNoPinPasswordOrToken(@TempDir Path tmp) throws Exception {
    Peers.require("softhsm2-util");
    if (!Files.exists(Path.of(MODULE))) {
      Peers.unavailable(MODULE + " is missing (Debian softhsm2)");
    }
    Path conf = Files.writeString(tmp.resolve("softhsm2.conf"), "directories.tokendir = "
        + Files.createDirectories(tmp.resolve("tokens")) + "\nobjectstore.backend = file\nlog.level = ERROR\n");
    Map<String, String> env = new HashMap<>(Map.of("SOFTHSM2_CONF", conf.toString(), "AIRSEAL_PKCS11_PIN", PIN,
        "AIRSEAL_PKCS11_MODULE", MODULE, "COSIGN_PASSWORD", COSIGN_PASSWORD, "AIRSEAL_API_WRITE_TOKEN", TOKEN));
    run(tmp, env, List.of("softhsm2-util", "--init-token", "--free", "--label", "site", "--pin", PIN, "--so-pin", SO_PIN), 0);
    String logKey = "pkcs11:token=site;object=log";
    cli(tmp, env, 0, "keys", "generate", "--key", logKey);
    cli(tmp, env, 0, "keys", "generate", "--key", tmp.resolve("cosign.key").toString());
    // A wrong PIN is reported, never echoed.
    Map<String, String> wrongPin = new HashMap<>(env);
    wrongPin.put("AIRSEAL_PKCS11_PIN", PIN + "-wrong");
    cli(tmp, wrongPin, 1, "keys", "public-key", "--key", logKey);

    ServiceProcess svc = new ServiceProcess(tmp.resolve("data"), ServiceProcess.freePort());
    env.forEach(svc::env);
    svc.env("AIRSEAL_LOG_KEY", logKey).env("QUARKUS_DATASOURCE_H2_PASSWORD", DB_PASSWORD);
    try (svc) {
      svc.start("-Dquarkus.log.category.\"dev.airseal\".level=DEBUG", "-Dquarkus.http.access-log.enabled=true");
      Path blob = Files.writeString(tmp.resolve("release.tar"), "release");
      cli(tmp, env, 0, "sign-blob", "--key", tmp.resolve("cosign.key").toString(), "--rekor-url", svc.url(),
          "--bundle", tmp.resolve("release.sigstore.json").toString(), blob.toString());
      HttpClient http = HttpClient.newHttpClient();
      for (String token : List.of(TOKEN + "-wrong", TOKEN)) {
        http.send(HttpRequest.newBuilder(URI.create(svc.url() + "/console/session"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + token + "\"}")).build(),
            HttpResponse.BodyHandlers.ofString());
      }
      String link = cli(tmp, env, 0, "admin", "console-link", "--url", svc.url()).strip();
      HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(svc.url() + "/console/api/summary"))
          .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("\"log-key\"").contains("\"UP\"");
      assertThat(link).contains("/console/login#code=");
      cli(tmp, env, 0, "admin", "backup", "--url", svc.url(), "-o", tmp.resolve("backup.zip").toString());
      Map<String, String> backupEnv = new HashMap<>(env);
      backupEnv.put("AIRSEAL_BACKUP_PASSPHRASE", BACKUP_PASSPHRASE);
      cli(tmp, backupEnv, 0, "admin", "backup", "--url", svc.url(), "--encrypt-passphrase-env",
          "AIRSEAL_BACKUP_PASSPHRASE", "-o", tmp.resolve("backup.zip.enc").toString());
    }
    // A wrong passphrase is reported, and neither it nor the right one is echoed.
    Map<String, String> restoreEnv = new HashMap<>(env);
    restoreEnv.put("AIRSEAL_BACKUP_PASSPHRASE", BACKUP_PASSPHRASE + "-wrong");
    restoreEnv.put("AIRSEAL_DATA_DIR", tmp.resolve("scratch").toString());
    assertThat(cli(tmp, restoreEnv, 1, "admin", "restore", "--archive", tmp.resolve("backup.zip.enc").toString(),
        "--encrypt-passphrase-env", "AIRSEAL_BACKUP_PASSPHRASE")).contains("wrong passphrase");
    String output = svc.output() + cliOutput;
    assertThat(svc.output()).contains("open at size").contains("POST /console/session").contains("backup");
    for (String secret : List.of(PIN, SO_PIN, COSIGN_PASSWORD, TOKEN, DB_PASSWORD, BACKUP_PASSPHRASE)) {
      assertThat(output).as("a secret in the output").doesNotContain(secret);
    }
  }

  private String cli(Path dir, Map<String, String> env, int expectedExit, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "-jar", ServiceProcess.jar().toAbsolutePath().toString()));
    cmd.addAll(List.of(args));
    return run(dir, env, cmd, expectedExit);
  }

  private String run(Path dir, Map<String, String> env, List<String> cmd, int expectedExit) throws Exception {
    Path out = Files.createTempFile(dir, "out", ".txt");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String text = Files.readString(out);
    cliOutput.append(text);
    if (expectedExit == 0) {
      assertThat(p.exitValue()).as(String.join(" ", cmd.subList(Math.max(0, cmd.size() - 6), cmd.size())) + "\n" + text).isZero();
    } else {
      assertThat(p.exitValue()).as(text).isNotZero();
    }
    return text;
  }
}
