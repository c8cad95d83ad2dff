package dev.airseal.it;

import static dev.airseal.it.LogHttp.get;
import static dev.airseal.it.LogHttp.getText;
import static dev.airseal.it.LogHttp.parseKey;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airseal.log.ConsistencyProof;
import dev.airseal.log.Hex;
import dev.airseal.log.checkpoint.Checkpoint;
import dev.airseal.log.rekor.RekorEntryVerifier;
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
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the service with SIGKILL while clients append, restarts it on the same data directory, and
 * checks that every acknowledged entry survived with a valid proof and that the tree after the
 * restart is consistent with every checkpoint handed out before the crash.
 */
class LogCrashIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int CLIENTS = 16;

  record Acked(String uuid, long index) {}

  @Test
  void sigkillMidStream_losesNoAcknowledgedEntryAndKeepsTheTreeConsistent(@TempDir Path tmp)
      throws Exception {
    Path data = tmp.resolve("data");
    int port = ServiceProcess.freePort();
    KeyPair key = TestEntries.p256();
    List<Acked> acked = new ArrayList<>();
    Map<Long, String> rootsSeen = new ConcurrentHashMap<>();
    AtomicInteger failures = new AtomicInteger();
    HttpClient http = HttpClient.newHttpClient();

    try (ServiceProcess svc = new ServiceProcess(data, port).start()) {
      ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
      List<Acked> sync = java.util.Collections.synchronizedList(acked);
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        pool.submit(
            () -> {
              for (int i = 0; ; i++) {
                String body =
                    TestEntries.hashedRekord(
                        key, ("crash-" + client + "-" + i).getBytes(StandardCharsets.UTF_8));
                try {
                  HttpResponse<String> r =
                      http.send(
                          HttpRequest.newBuilder(URI.create(svc.url() + "/api/v1/log/entries"))
                              .header("Content-Type", "application/json")
                              .POST(HttpRequest.BodyPublishers.ofString(body))
                              .build(),
                          HttpResponse.BodyHandlers.ofString());
                  if (r.statusCode() != 201) {
                    failures.incrementAndGet();
                    continue;
                  }
                  JsonNode e = JSON.readTree(r.body());
                  String uuid = e.fieldNames().next();
                  JsonNode proof = e.get(uuid).path("verification").path("inclusionProof");
                  sync.add(new Acked(uuid, e.get(uuid).path("logIndex").asLong()));
                  rootsSeen.put(proof.path("treeSize").asLong(), proof.path("rootHash").asText());
                } catch (Exception connectionLost) {
                  return null;
                }
              }
            });
      }
      // Let the clients get going, then pull the plug while requests are in flight.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (sync.size() < 1500 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      svc.kill();
      pool.shutdownNow();
      pool.awaitTermination(30, TimeUnit.SECONDS);
    }
    assertThat(acked).as("entries acknowledged before the kill").hasSizeGreaterThan(100);
    assertThat(failures.get()).as("non-201 answers before the kill").isZero();

    try (ServiceProcess svc = new ServiceProcess(data, port).start()) {
      JsonNode info = get(http, svc.url() + "/api/v1/log");
      String origin = info.path("signedTreeHead").asText().split("\n")[0];
      PublicKey logKey = parseKey(getText(http, svc.url() + "/api/v1/log/publicKey"));
      RekorEntryVerifier verifier =
          new RekorEntryVerifier(logKey, origin.substring(0, origin.lastIndexOf(" - ")));
      long size = info.path("treeSize").asLong();
      byte[] root = Hex.decode(info.path("rootHash").asText());
      long maxAcked = acked.stream().mapToLong(Acked::index).max().orElseThrow();
      assertThat(size).isGreaterThan(maxAcked);

      for (Acked a : acked) {
        JsonNode e = get(http, svc.url() + "/api/v1/log/entries/" + a.uuid());
        Checkpoint cp = verifier.verify(a.uuid(), e.get(a.uuid()));
        assertThat(e.get(a.uuid()).path("logIndex").asLong()).isEqualTo(a.index());
        assertThat(cp.size()).isEqualTo(size);
      }
      for (Map.Entry<Long, String> seen : rootsSeen.entrySet()) {
        JsonNode p =
            get(http, svc.url() + "/api/v1/log/proof?firstSize=" + seen.getKey() + "&lastSize=" + size);
        List<byte[]> hashes = new ArrayList<>();
        p.path("hashes").forEach(h -> hashes.add(Hex.decode(h.asText())));
        ConsistencyProof.verify(seen.getKey(), size, hashes, Hex.decode(seen.getValue()), root);
      }
      System.out.printf(
          "crash test: %d entries acknowledged before SIGKILL, %d checkpoints seen, tree size %d after restart%n",
          acked.size(), rootsSeen.size(), size);
      assertThat(Files.exists(data.resolve("keys/log-key.pem"))).isTrue();
    }
  }
}
