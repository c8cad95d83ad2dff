package dev.airseal.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airseal.log.checkpoint.Checkpoints;
import dev.airseal.log.note.NoteVerifier;
import dev.airseal.testing.Peers;
import dev.airseal.testing.ServiceProcess;
import dev.airseal.testing.TestEntries;
import dev.airseal.testing.TrustedRoots;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SoftHSM2 token holds both keys: the log's (checkpoints and SETs) and a release key made inside
 * the token by {@code keys generate}. The packaged service and CLI run as separate processes so
 * each gets its own SOFTHSM2_CONF; cosign verifies the HSM-signed blob against the HSM-backed log.
 */
class HsmLogAndSigningIT {
  private static final String MODULE = "/usr/lib/softhsm/libsofthsm2.so";
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void hsmKeys_signCheckpointsAndReleases(@TempDir Path tmp) throws Exception {
    Peers.require("softhsm2-util");
    Peers.require("cosign");
    Path conf = Files.writeString(tmp.resolve("softhsm2.conf"),
        "directories.tokendir = " + Files.createDirectories(tmp.resolve("tokens")) + "\nobjectstore.backend = file\nlog.level = ERROR\n");
    Map<String, String> env = Map.of("SOFTHSM2_CONF", conf.toString(), "AIRSEAL_PKCS11_PIN", "1234",
        "AIRSEAL_PKCS11_MODULE", MODULE, "COSIGN_PASSWORD", "");
    run(tmp, env, "softhsm2-util", "--init-token", "--free", "--label", "site", "--pin", "1234", "--so-pin", "1234");
    String logKey = "pkcs11:token=site;object=log";
    String releaseKey = "pkcs11:token=site;object=release";
    Path logPub = tmp.resolve("log.pub");
    Path releasePub = tmp.resolve("release.pub");
    Files.writeString(logPub, cli(tmp, env, "keys", "generate", "--key", logKey));
    Files.writeString(releasePub, cli(tmp, env, "keys", "generate", "--key", releaseKey));
    assertThat(cli(tmp, env, "keys", "list", "--key", "pkcs11:token=site")).contains("log").contains("release");

    int port = ServiceProcess.freePort();
    ServiceProcess svc = new ServiceProcess(tmp.resolve("data"), port);
    env.forEach(svc::env);
    svc.env("AIRSEAL_LOG_KEY", logKey);
    try (svc) {
      svc.start();
      HttpClient http = HttpClient.newHttpClient();
      String served = http.send(HttpRequest.newBuilder(URI.create(svc.url() + "/api/v1/log/publicKey")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertThat(served).isEqualTo(Files.readString(logPub));
      for (int i = 0; i < 20; i++) {
        var r = http.send(HttpRequest.newBuilder(URI.create(svc.url() + "/api/v1/log/entries"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(TestEntries.hashedRekord(TestEntries.p256(), ("e" + i).getBytes(StandardCharsets.UTF_8))))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      }
      JsonNode info = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(svc.url() + "/api/v1/log")).build(),
          HttpResponse.BodyHandlers.ofString()).body());
      String note = info.path("signedTreeHead").asText();
      String origin = note.split("\n")[0];
      PublicKey hsmLogKey = TrustedRoots.parsePem(Files.readString(logPub));
      assertThat(Checkpoints.verify(note, NoteVerifier.fromPublicKey(origin.substring(0, origin.lastIndexOf(" - ")), hsmLogKey), origin).size())
          .as("the genesis entry and our 20")
          .isEqualTo(21);
      assertThat(cli(tmp, env, "log", "get", "--url", svc.url(), "--public-key", logPub.toString(), "--log-index", "7"))
          .contains("Verified: SET, inclusion proof, checkpoint");

      // A release signed by the HSM key, logged in the HSM-backed log, verified by cosign.
      Path release = Files.writeString(tmp.resolve("release.tar"), "release contents");
      Path bundle = tmp.resolve("release.sigstore.json");
      cli(tmp, env, "sign-blob", "--key", releaseKey, "--rekor-url", svc.url(), "--bundle", bundle.toString(), release.toString());
      Path root = TrustedRoots.write(tmp.resolve("trusted_root.json"), hsmLogKey, svc.url(), java.time.Instant.now().minusSeconds(86400));
      Peers.peer(tmp, "cosign", "verify-blob", "--offline", "--new-bundle-format", "--bundle", bundle.toString(),
          "--trusted-root", root.toString(), "--key", releasePub.toString(), release.toString()).run().succeeded();
    }
  }

  private static String cli(Path dir, Map<String, String> env, String... args) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>(List.of(java, "-jar", ServiceProcess.jar().toAbsolutePath().toString()));
    cmd.addAll(List.of(args));
    return run(dir, env, cmd.toArray(String[]::new));
  }

  private static String run(Path dir, Map<String, String> env, String... cmd) throws Exception {
    Path err = Files.createTempFile(dir, "stderr", ".txt");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(err.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String text = new String(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + text + Files.readString(err)).isZero();
    return text;
  }
}
