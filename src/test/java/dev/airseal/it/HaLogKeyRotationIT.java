package dev.airseal.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airseal.log.Hex;
import dev.airseal.log.Rfc6962;
import dev.airseal.log.checkpoint.Checkpoints;
import dev.airseal.log.note.NoteVerifier;
import dev.airseal.testing.ServiceProcess;
import dev.airseal.testing.TestDatabases;
import dev.airseal.testing.TestEntries;
import dev.airseal.testing.TrustedRoots;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Log key rotation with two replicas on one PostgreSQL database: only the leader rotates, the
 * follower reports the new key and log ID, and after the leader dies the follower leads only once
 * it holds the rotated key, then signs with it.
 */
class HaLogKeyRotationIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void rotationOnTheLeader_reachesTheFollower_whichLeadsOnlyWithTheNewKey(@TempDir Path tmp) throws Exception {
    String url = TestDatabases.postgresSchemaUrl();
    String user = TestDatabases.postgresUser();
    Path dataA = tmp.resolve("a");
    Path dataB = tmp.resolve("b");
    int portA = ServiceProcess.freePort();
    int portB = ServiceProcess.freePort();
    KeyPair signer = TestEntries.p256();
    try (ServiceProcess a = new ServiceProcess(dataA, portA);
        ServiceProcess b = new ServiceProcess(dataB, portB)) {
      a.start(replica(url, user, portA));
      copyKeys(dataA, dataB);
      b.start(replica(url, user, portB));
      assertThat(b.output()).contains("as follower");
      String oldId = keyId(get(a.url() + "/api/v1/log/publicKey"));
      append(b, signer, "before");

      HttpResponse<String> onFollower = post(b.url() + "/api/v1/trust-root/rotate-log-key", "{\"reason\":\"r\"}");
      assertThat(onFollower.statusCode()).as(onFollower.body()).isEqualTo(409);
      assertThat(onFollower.body()).contains("leader");
      HttpResponse<String> onLeader = post(a.url() + "/api/v1/trust-root/rotate-log-key", "{\"reason\":\"annual\"}");
      assertThat(onLeader.statusCode()).as(onLeader.body()).isEqualTo(200);
      String newId = keyId(get(a.url() + "/api/v1/log/publicKey"));
      assertThat(newId).isNotEqualTo(oldId);
      Thread.sleep(6_000); // past the switch second and the follower's key re-read

      assertThat(keyId(get(b.url() + "/api/v1/log/publicKey"))).isEqualTo(newId);
      JsonNode viaFollower = append(b, signer, "after, via the follower");
      assertThat(viaFollower.path("logID").asText()).isEqualTo(newId);

      a.kill();
      // b holds only the old key: it must not lead with it.
      Thread.sleep(3_000);
      assertThat(b.output()).doesNotContain("leads the log (term 2)");
      assertThat(b.output()).contains("names log key " + newId + " as current");
      copyKeys(dataA, dataB);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!b.output().contains("leads the log (term 2)") && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(b.output()).contains("leads the log (term 2)");
      JsonNode led = append(b, signer, "after, b leading");
      assertThat(led.path("logID").asText()).isEqualTo(newId);
      PublicKey newKey = TrustedRoots.parsePem(get(b.url() + "/api/v1/log/publicKey"));
      Checkpoints.verify(led.path("verification").path("inclusionProof").path("checkpoint").asText(),
          NoteVerifier.fromPublicKey("ha.test", newKey), null);
    }
  }

  private static String[] replica(String url, String user, int port) {
    return new String[] {
      "-Dairseal.database.kind=postgresql",
      "-Dquarkus.datasource.postgresql.jdbc.url=" + url,
      "-Dquarkus.datasource.postgresql.username=" + user,
      "-Dairseal.log.hostname=ha.test",
      "-Dairseal.cluster.advertised-url=http://127.0.0.1:" + port,
      "-Dairseal.cluster.election-interval=PT0.3S"
    };
  }

  // Replicas share the log's keys: here the first replica's files, copied (again after a rotation).
  private static void copyKeys(Path from, Path to) throws Exception {
    Files.createDirectories(to.resolve("keys"));
    try (var files = Files.list(from.resolve("keys"))) {
      for (Path f : files.toList()) {
        Path dest = to.resolve("keys").resolve(f.getFileName());
        if (Files.isRegularFile(f) && !Files.exists(dest)) {
          Files.copy(f, dest);
        }
      }
    }
  }

  private JsonNode append(ServiceProcess via, KeyPair k, String text) throws Exception {
    HttpResponse<String> r = post(via.url() + "/api/v1/log/entries",
        TestEntries.hashedRekord(k, (text + System.nanoTime()).getBytes(StandardCharsets.UTF_8)));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonNode e = JSON.readTree(r.body());
    return e.get(e.fieldNames().next());
  }

  private static String keyId(String pem) {
    return Hex.encode(Rfc6962.sha256(TrustedRoots.parsePem(pem).getEncoded()));
  }

  private String get(String u) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(u)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(u + ": " + r.body()).isEqualTo(200);
    return r.body();
  }

  private HttpResponse<String> post(String u, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(u)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
