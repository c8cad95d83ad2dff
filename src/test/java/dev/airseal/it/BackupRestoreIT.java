package dev.airseal.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airseal.testing.JarCli;
import dev.airseal.testing.ServiceProcess;
import dev.airseal.testing.TestEntries;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code admin backup} of a service that keeps appending, then {@code admin restore} onto a fresh,
 * stopped install: the restored service has the same log key, trust root and TUF root, and its tree
 * is a prefix of the original's (a consistency proof from the original checks it).
 */
class BackupRestoreIT {
  private static final String TOKEN = "tok-" + UUID.randomUUID();
  private static final String PASSPHRASE = "pass-" + UUID.randomUUID();
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final KeyPair key = TestEntries.p256();

  @Test
  void backupWhileAppending_restoredOntoAFreshInstall_isTheSameLogAndTrustRoot(@TempDir Path tmp) throws Exception {
    Path archive = tmp.resolve("site.zip");
    ServiceProcess a = new ServiceProcess(tmp.resolve("a"), ServiceProcess.freePort()).env("AIRSEAL_API_WRITE_TOKEN", TOKEN);
    try (a) {
      a.start();
      for (int i = 0; i < 8; i++) {
        append(a.url());
      }
      long sizeBefore = get(a.url(), "/api/v1/log").path("treeSize").asLong();

      JarCli.Result noToken = cli(tmp, Map.of(), "admin", "backup", "--url", a.url(), "-o", tmp.resolve("refused.zip").toString());
      assertThat(noToken.exit()).isEqualTo(1);
      assertThat(noToken.err()).contains("HTTP 401");
      assertThat(tmp.resolve("refused.zip")).doesNotExist();

      // Appends keep coming while the backup runs: it must still be one consistent state.
      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger appended = new AtomicInteger();
      CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
        while (!stop.get()) {
          append(a.url());
          appended.incrementAndGet();
        }
      });
      JarCli.Result backup = cli(tmp, Map.of("AIRSEAL_API_WRITE_TOKEN", TOKEN), "admin", "backup", "--url", a.url(), "-o", archive.toString());
      stop.set(true);
      writer.get(60, TimeUnit.SECONDS);
      assertThat(backup.exit()).as(backup.err()).isZero();
      String sha = backup.out().strip().split("\\s+")[0];
      assertThat(sha).matches("[0-9a-f]{64}");
      assertThat(appended.get()).as("appends during the backup").isPositive();

      String logA = a.url();
      String keyA = getText(a.url(), "/api/v1/log/publicKey");
      String trustA = getText(a.url(), "/api/v1/trust-root");
      String tufRootA = getText(a.url(), "/tuf/root.json");
      JsonNode maintenance = summary(a.url()).path("maintenance");
      assertThat(maintenance.toString()).contains("\"kind\":\"backup\"").contains("\"outcome\":\"ok\"");

      // The same, encrypted as it arrives: the passphrase from a file, never echoed.
      Path pass = Files.writeString(tmp.resolve("backup.pass"), PASSPHRASE + "\n");
      Path sealed = tmp.resolve("site.zip.enc");
      JarCli.Result enc = cli(tmp, Map.of("AIRSEAL_API_WRITE_TOKEN", TOKEN), "admin", "backup", "--url", a.url(),
          "--encrypt-passphrase-file", pass.toString(), "-o", sealed.toString());
      assertThat(enc.exit()).as(enc.err()).isZero();
      assertThat(enc.out() + enc.err()).doesNotContain(PASSPHRASE).contains("encrypted");
      assertThat(new String(Files.readAllBytes(sealed), 0, 21, StandardCharsets.US_ASCII)).isEqualTo("airseal-backup-enc/1\n");
      String sealedSha = enc.out().strip().split("\\s+")[0];
      restoreOntoFreshInstall(tmp, new Archives(archive, sha, sealed, sealedSha, pass), sizeBefore, logA, keyA, trustA,
          tufRootA);
    }
  }

  /** The plain archive and the encrypted one, each with the SHA-256 admin backup printed. */
  private record Archives(Path plain, String plainSha, Path sealed, String sealedSha, Path passphraseFile) {}

  // The original keeps running, so it can prove the restored tree is a prefix of its own.
  private void restoreOntoFreshInstall(Path tmp, Archives archives, long sizeBefore, String logA,
      String keyA, String trustA, String tufRootA) throws Exception {
    Path archive = archives.plain();
    String sha = archives.plainSha();

    // A fresh install: started once (its own keys, trust root and empty log), then stopped.
    Path dataB = tmp.resolve("b");
    int portB = ServiceProcess.freePort();
    ServiceProcess fresh = new ServiceProcess(dataB, portB).env("AIRSEAL_API_WRITE_TOKEN", TOKEN);
    try (fresh) {
      fresh.start();
      assertThat(getText(fresh.url(), "/api/v1/log/publicKey")).isNotEqualTo(keyA);
      JarCli.Result whileRunning = restore(tmp, dataB, archive, sha);
      assertThat(whileRunning.exit()).isEqualTo(1);
      assertThat(whileRunning.err()).contains("in use by another process: stop the service first");
    }
    JarCli.Result wrongSha = restore(tmp, dataB, archive, "ab".repeat(32));
    assertThat(wrongSha.exit()).isEqualTo(1);
    assertThat(wrongSha.err()).contains("not the expected abab");
    // An encrypted archive: without its passphrase, with a wrong one, or altered, nothing is restored.
    JarCli.Result noPassphrase = restore(tmp, dataB, archives.sealed(), archives.sealedSha());
    assertThat(noPassphrase.exit()).isEqualTo(1);
    assertThat(noPassphrase.err()).contains("is encrypted (airseal-backup-enc/1)");
    Path wrongPass = Files.writeString(tmp.resolve("wrong.pass"), "not-" + PASSPHRASE + "\n");
    JarCli.Result wrongPassphrase = restore(tmp, dataB, archives.sealed(), archives.sealedSha(),
        "--encrypt-passphrase-file", wrongPass.toString());
    assertThat(wrongPassphrase.exit()).isEqualTo(1);
    assertThat(wrongPassphrase.err()).contains("wrong passphrase").doesNotContain(PASSPHRASE);
    byte[] bytes = Files.readAllBytes(archives.sealed());
    bytes[bytes.length / 2] ^= 1;
    Path altered = Files.write(tmp.resolve("altered.zip.enc"), bytes);
    JarCli.Result tampered = restore(tmp, dataB, altered, null, "--encrypt-passphrase-file",
        archives.passphraseFile().toString());
    assertThat(tampered.exit()).isEqualTo(1);
    assertThat(tampered.err()).contains("fails authentication");
    assertThat(Files.list(dataB).map(p -> p.getFileName().toString()))
        .as("nothing restored, nothing set aside").noneMatch(n -> n.startsWith("pre-restore-") || n.startsWith(".restore-"));

    JarCli.Result restored = restore(tmp, dataB, archives.sealed(), archives.sealedSha(),
        "--encrypt-passphrase-file", archives.passphraseFile().toString());
    assertThat(restored.exit()).as(restored.err() + restored.out()).isZero();
    assertThat(restored.out()).contains("restored").contains("pre-restore-");

    ServiceProcess b = new ServiceProcess(dataB, portB).env("AIRSEAL_API_WRITE_TOKEN", TOKEN);
    try (b) {
      b.start();
      assertThat(getText(b.url(), "/api/v1/log/publicKey")).isEqualTo(keyA);
      assertThat(getText(b.url(), "/api/v1/trust-root")).isEqualTo(trustA);
      assertThat(getText(b.url(), "/tuf/root.json")).isEqualTo(tufRootA);
      JsonNode logB = get(b.url(), "/api/v1/log");
      long sizeB = logB.path("treeSize").asLong();
      assertThat(sizeB).isGreaterThanOrEqualTo(sizeBefore);
      // The restored tree is a prefix of the original's: the original proves it consistent.
      JarCli.Result proof = cli(tmp, Map.of(), "log", "proof", "--url", logA, "--first-size",
          Long.toString(sizeB), "--first-root", logB.path("rootHash").asText());
      assertThat(proof.exit()).as(proof.out() + proof.err()).isZero();
      JarCli.Result wrongRoot = cli(tmp, Map.of(), "log", "proof", "--url", logA, "--first-size",
          Long.toString(sizeB), "--first-root", "00".repeat(32));
      assertThat(wrongRoot.exit()).as("a proof check that cannot fail proves nothing").isNotZero();
      JsonNode maintenance = summary(b.url()).path("maintenance");
      assertThat(maintenance.toString()).contains("\"kind\":\"restore\"").contains("site.zip.enc");
      // The restored log keeps working.
      append(b.url());
      assertThat(get(b.url(), "/api/v1/log").path("treeSize").asLong()).isEqualTo(sizeB + 1);
    }
    assertThat(Files.list(dataB).map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("pre-restore-"));

    // The plain archive restores too (over the restored log: --force).
    JarCli.Result plain = restore(tmp, dataB, archive, sha, "--force");
    assertThat(plain.exit()).as(plain.err() + plain.out()).isZero();
    assertThat(plain.out()).contains("restored " + archive);
  }

  private void append(String url) {
    try {
      String entry = TestEntries.hashedRekord(key, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/log/entries"))
          .header("Content-Type", "application/json").header("Authorization", "Bearer " + TOKEN)
          .POST(HttpRequest.BodyPublishers.ofString(entry)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private JsonNode get(String url, String path) throws Exception {
    return JSON.readTree(getText(url, path));
  }

  private String getText(String url, String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + path)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return r.body();
  }

  private JsonNode summary(String url) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/console/api/summary"))
        .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private JarCli.Result restore(Path dir, Path dataDir, Path archive, String sha, String... more) throws Exception {
    List<String> args = new ArrayList<>(List.of("admin", "restore", "--archive", archive.toString()));
    if (sha != null) {
      args.addAll(List.of("--sha256", sha));
    }
    args.addAll(List.of(more));
    return cli(dir, Map.of(), List.of("-Dairseal.data-dir=" + dataDir.toAbsolutePath()), args.toArray(String[]::new));
  }

  private static JarCli.Result cli(Path dir, Map<String, String> env, String... args) throws Exception {
    return JarCli.run(dir, env, List.of(), args);
  }

  private static JarCli.Result cli(Path dir, Map<String, String> env, List<String> jvm, String... args) throws Exception {
    return JarCli.run(dir, env, jvm, args);
  }
}
