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
import dev.airseal.testing.TestDatabases;
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
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas as separate processes on one PostgreSQL schema. Clients append through both; the
 * leader is killed with SIGKILL mid-stream; the follower must take over within seconds, and
 * afterwards every acknowledged entry is in the tree exactly once with a valid proof, and the tree
 * is consistent with every checkpoint handed out before the takeover.
 */
class HaFailoverIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int CLIENTS_PER_REPLICA = 4;

  record Acked(String uuid, long index, String body) {}

  @Test
  void sigkillTheLeader_followerTakesOverAndNoAcknowledgedEntryIsLostOrDoubled(@TempDir Path tmp)
      throws Exception {
    String url = TestDatabases.postgresSchemaUrl();
    String user = TestDatabases.postgresUser();
    Path dataA = tmp.resolve("a");
    Path dataB = tmp.resolve("b");
    int portA = ServiceProcess.freePort();
    int portB = ServiceProcess.freePort();
    KeyPair key = TestEntries.p256();
    HttpClient http = HttpClient.newHttpClient();
    List<Acked> acked = Collections.synchronizedList(new ArrayList<>());
    Map<Long, String> rootsSeen = new ConcurrentHashMap<>();
    List<String> refusals = Collections.synchronizedList(new ArrayList<>());

    try (ServiceProcess a = new ServiceProcess(dataA, portA);
        ServiceProcess b = new ServiceProcess(dataB, portB)) {
      a.start(replica(url, user, portA));
      // Replicas share the log's identity: the same keys (here: the first replica's, copied).
      copy(dataA.resolve("keys"), dataB.resolve("keys"));
      b.start(replica(url, user, portB));
      assertThat(a.output()).contains("as leader");
      assertThat(b.output()).contains("as follower");
      assertLeadership(http, a, 1, 1);
      assertLeadership(http, b, 0, 1);

      AtomicBoolean stop = new AtomicBoolean();
      ExecutorService pool = Executors.newFixedThreadPool(2 * CLIENTS_PER_REPLICA);
      for (int c = 0; c < 2 * CLIENTS_PER_REPLICA; c++) {
        int client = c;
        ServiceProcess via = c % 2 == 0 ? a : b;
        pool.submit(
            () -> {
              for (int i = 0; !stop.get(); i++) {
                String body =
                    TestEntries.hashedRekord(
                        key, ("ha-" + client + "-" + i).getBytes(StandardCharsets.UTF_8));
                try {
                  HttpResponse<String> r = post(http, via.url(), body);
                  if (r.statusCode() != 201) {
                    refusals.add(r.statusCode() + " " + r.body());
                    continue;
                  }
                  JsonNode e = JSON.readTree(r.body());
                  String uuid = e.fieldNames().next();
                  JsonNode proof = e.get(uuid).path("verification").path("inclusionProof");
                  acked.add(new Acked(uuid, e.get(uuid).path("logIndex").asLong(), body));
                  rootsSeen.put(proof.path("treeSize").asLong(), proof.path("rootHash").asText());
                } catch (Exception leaderGone) {
                  if (via == a) {
                    return null; // this client's replica was killed
                  }
                  refusals.add("exception " + leaderGone);
                }
              }
              return null;
            });
      }
      awaitAcked(acked, 300);
      int beforeKill = acked.size();
      a.kill();
      long killedAt = System.nanoTime();
      // The survivor must lead within seconds, and its clients keep appending through it.
      while (!b.output().contains("leads the log (term 2)")
          && System.nanoTime() - killedAt < TimeUnit.SECONDS.toNanos(30)) {
        Thread.sleep(20);
      }
      double takeoverSeconds = (System.nanoTime() - killedAt) / 1e9;
      awaitAcked(acked, beforeKill + 100);
      stop.set(true);
      pool.shutdown();
      assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
      assertThat(takeoverSeconds).as("seconds from SIGKILL to the follower leading")
          .isLessThan(10);
      assertLeadership(http, b, 1, 2);

      JsonNode info = get(http, b.url() + "/api/v1/log");
      String origin = info.path("signedTreeHead").asText().split("\n")[0];
      PublicKey logKey = parseKey(getText(http, b.url() + "/api/v1/log/publicKey"));
      RekorEntryVerifier verifier =
          new RekorEntryVerifier(logKey, origin.substring(0, origin.lastIndexOf(" - ")));
      long size = info.path("treeSize").asLong();
      byte[] root = Hex.decode(info.path("rootHash").asText());

      // Exactly once: distinct acknowledged entries have distinct indexes, and the tree holds no
      // entry twice (every index below the size is a different leaf).
      Set<Long> indexes = new HashSet<>();
      Set<String> uuids = new HashSet<>();
      for (Acked x : acked) {
        assertThat(uuids.add(x.uuid())).as("acknowledged twice: " + x.uuid()).isTrue();
        assertThat(indexes.add(x.index())).as("index handed out twice: " + x.index()).isTrue();
        JsonNode e = get(http, b.url() + "/api/v1/log/entries/" + x.uuid());
        Checkpoint cp = verifier.verify(x.uuid(), e.get(x.uuid()));
        assertThat(e.get(x.uuid()).path("logIndex").asLong()).isEqualTo(x.index());
        assertThat(cp.size()).isEqualTo(size);
      }
      Set<String> leaves = new HashSet<>();
      for (long i = 0; i < size; i++) {
        JsonNode e = get(http, b.url() + "/api/v1/log/entries?logIndex=" + i);
        assertThat(leaves.add(e.fieldNames().next())).as("entry at " + i + " appears twice").isTrue();
      }
      for (Map.Entry<Long, String> seen : rootsSeen.entrySet()) {
        JsonNode p =
            get(http, b.url() + "/api/v1/log/proof?firstSize=" + seen.getKey() + "&lastSize=" + size);
        List<byte[]> hashes = new ArrayList<>();
        p.path("hashes").forEach(h -> hashes.add(Hex.decode(h.asText())));
        ConsistencyProof.verify(seen.getKey(), size, hashes, Hex.decode(seen.getValue()), root);
      }
      // An entry appended before the kill, sent again: the survivor knows it (409), no second copy.
      Acked early = acked.get(0);
      HttpResponse<String> again = post(http, b.url(), early.body());
      assertThat(again.statusCode()).as(again.body()).isEqualTo(409);
      assertThat(refusals).as("appends the survivor refused").isEmpty();
      System.out.printf(
          "HA failover: %d entries acknowledged (%d before SIGKILL), %d checkpoints checked,"
              + " tree size %d, follower leading %.1f s after the kill%n",
          acked.size(), beforeKill, rootsSeen.size(), size, takeoverSeconds);
    }
  }

  // What /q/metrics says of leadership: airseal_cluster_leader and airseal_cluster_term.
  private static void assertLeadership(HttpClient http, ServiceProcess p, int leader, long term)
      throws Exception {
    String metrics = getText(http, p.url() + "/q/metrics");
    assertThat(sample(metrics, "airseal_cluster_leader")).as("airseal_cluster_leader of " + p.url())
        .isEqualTo(leader);
    assertThat(sample(metrics, "airseal_cluster_term")).as("airseal_cluster_term of " + p.url())
        .isEqualTo(term);
  }

  private static double sample(String metrics, String name) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("(?m)^" + name + "(?:\\{[^}]*\\})? (\\S+)$").matcher(metrics);
    assertThat(m.find()).as(name + " in /q/metrics").isTrue();
    return Double.parseDouble(m.group(1));
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

  private static void awaitAcked(List<Acked> acked, int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (acked.size() < n && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(acked.size()).as("acknowledged appends").isGreaterThanOrEqualTo(n);
  }

  private static void copy(Path from, Path to) throws Exception {
    Files.createDirectories(to);
    try (var files = Files.list(from)) {
      for (Path f : files.toList()) {
        if (Files.isRegularFile(f)) {
          Files.copy(f, to.resolve(f.getFileName()));
        }
      }
    }
  }

  private static HttpResponse<String> post(HttpClient http, String base, String body)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + "/api/v1/log/entries"))
            .header("Content-Type", "application/json")
            .timeout(java.time.Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
