package dev.airseal.peers;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.airseal.testing.Peers;
import dev.airseal.testing.Peers.Result;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.function.BiFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The npm TUF clients sigstore-js uses, {@code tuf-js} 6.0.2 and {@code @sigstore/tuf} 5.0.1
 * (src/test/node/tuf-client/client.mjs), initialise offline from our {@code 1.root.json} against
 * the appliance's {@code /tuf/} and obtain exactly the trusted root {@code /api/v1/trust-root}
 * serves; they refuse expired and tampered metadata (served by a tampering proxy in front of our
 * mirror) and follow a root rotation from version 1.
 */
@QuarkusTest
class TufJsClientTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path PROJECT = Path.of("src/test/node/tuf-client").toAbsolutePath();
  private static final String TRUSTED_ROOT = "trusted_root.json";
  private static final String SIGNING_CONFIG = "signing_config.v0.2.json";

  @TempDir static Path dir;

  @BeforeAll
  static void setUp() {
    Peers.require("node");
    for (String module : List.of("tuf-js", "@sigstore/tuf")) {
      if (!Files.isDirectory(PROJECT.resolve("node_modules").resolve(module))) {
        Peers.unavailable(module + " not installed in " + PROJECT + " (run .ci/install-node-deps.sh)");
      }
    }
  }

  private static String mirror() {
    return "http://127.0.0.1:" + RestAssured.port + "/tuf";
  }

  private static Path rootV1() throws IOException {
    return Files.write(dir.resolve("1.root." + UUID.randomUUID() + ".json"),
        given().get("/tuf/1.root.json").then().statusCode(200).extract().asByteArray());
  }

  private static byte[] trustRoot() {
    return given().get("/api/v1/trust-root").then().statusCode(200).extract().asByteArray();
  }

  private static Path freshCache() {
    return dir.resolve("cache-" + UUID.randomUUID());
  }

  /** Runs client.mjs with our two targets; {@code extra} are further options. */
  private static Result client(String client, String mirror, Path root, Path cache, String... extra) {
    List<String> args = new ArrayList<>(List.of(PROJECT.resolve("client.mjs").toString(), "--client", client,
        "--mirror", mirror, "--root", root.toString(), "--cache", cache.toString(),
        "--target", TRUSTED_ROOT, "--target", SIGNING_CONFIG));
    args.addAll(List.of(extra));
    return Peers.peer(dir, "node", args.toArray(String[]::new)).run();
  }

  /** The line the client printed for {@code target}: "TARGET name sha256 length". */
  private static String targetLine(Result r, String target) {
    return r.stdout().lines().filter(l -> l.startsWith("TARGET " + target + " ")).findFirst()
        .orElseThrow(() -> new AssertionError("no line for " + target + ": " + r.describe()));
  }

  private static int rootVersion(Result r) {
    return Integer.parseInt(r.stdout().lines().filter(l -> l.startsWith("ROOT ")).findFirst()
        .orElseThrow(() -> new AssertionError(r.describe())).substring(5));
  }

  private static String expectedLine(String target, byte[] bytes) throws Exception {
    return "TARGET " + target + " " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes))
        + " " + bytes.length;
  }

  private static void assertRefused(Result r, String expectedError) {
    assertThat(r.exitCode()).as("the TUF client accepted what it must refuse:\n" + r.describe()).isEqualTo(1);
    assertThat(r.stderr()).as(r.describe()).contains(expectedError);
  }

  @Test
  void tufJs_initialisesFromOurRoot_andObtainsOurTrustedRoot() throws Exception {
    Path cache = freshCache();
    Result r = client("tuf-js", mirror(), rootV1(), cache).succeeded();
    assertThat(targetLine(r, TRUSTED_ROOT)).isEqualTo(expectedLine(TRUSTED_ROOT, trustRoot()));
    assertThat(Files.readAllBytes(cache.resolve("targets").resolve(TRUSTED_ROOT))).isEqualTo(trustRoot());
    JsonNode signing = JSON.readTree(cache.resolve("targets").resolve(SIGNING_CONFIG).toFile());
    assertThat(signing.path("mediaType").asText()).startsWith("application/vnd.dev.sigstore.signingconfig");
    assertThat(targetLine(r, SIGNING_CONFIG)).isEqualTo(
        expectedLine(SIGNING_CONFIG, Files.readAllBytes(cache.resolve("targets").resolve(SIGNING_CONFIG))));
  }

  @Test
  void sigstoreTuf_initTufAndGetTrustedRoot_pointedAtOurMirror() throws Exception {
    Result r = client("sigstore-tuf", mirror(), rootV1(), freshCache()).succeeded();
    assertThat(targetLine(r, TRUSTED_ROOT)).isEqualTo(expectedLine(TRUSTED_ROOT, trustRoot()));
    assertThat(targetLine(r, SIGNING_CONFIG)).startsWith("TARGET " + SIGNING_CONFIG + " ");
    // getTrustedRoot parsed our root as protobuf-specs TrustedRoot and found our log in it.
    assertThat(r.stdout()).containsPattern("(?m)^TLOGS [1-9]");
  }

  @Test
  void expiredTimestamp_isRefused() throws Exception {
    Path root = rootV1();
    client("tuf-js", mirror(), root, freshCache(), "--at", Instant.now().toString()).succeeded();
    // Two days on, the one-day timestamp has expired (nobody has re-signed it by then).
    String later = Instant.now().plus(2, ChronoUnit.DAYS).toString();
    assertRefused(client("tuf-js", mirror(), root, freshCache(), "--at", later), "ExpiredMetadataError");
  }

  @Test
  void tamperedMetadataOrTarget_isRefused() throws Exception {
    Path root = rootV1();
    // Control: the proxy passing our files through unchanged is accepted.
    try (Tamperer proxy = new Tamperer((name, body) -> body)) {
      client("tuf-js", proxy.mirror(), root, freshCache()).succeeded();
    }
    // timestamp.json's signed part changed without its signature.
    try (Tamperer proxy = new Tamperer((name, body) -> name.equals("timestamp.json") ? withExpires(body) : body)) {
      assertRefused(client("tuf-js", proxy.mirror(), root, freshCache()), "UnsignedMetadataError");
      assertRefused(client("sigstore-tuf", proxy.mirror(), root, freshCache()), "UnsignedMetadataError");
    }
    // The trusted root target changed on the mirror: same length, one byte different, so only the
    // hash in targets.json can tell.
    try (Tamperer proxy = new Tamperer((name, body) -> name.endsWith("." + TRUSTED_ROOT)
        ? new String(body, StandardCharsets.UTF_8).replaceFirst("\"tlogs\"", "\"tlogz\"").getBytes(StandardCharsets.UTF_8)
        : body)) {
      assertRefused(client("tuf-js", proxy.mirror(), root, freshCache()), "LengthOrHashMismatchError");
      assertRefused(client("sigstore-tuf", proxy.mirror(), root, freshCache()), "LengthOrHashMismatchError");
    }
  }

  @Test
  void rootRotation_oldRootFollowsTheChain() throws Exception {
    Path root = rootV1();
    Path before = freshCache();
    Path beforeSigstore = freshCache();
    int old = rootVersion(client("tuf-js", mirror(), root, before).succeeded());
    client("sigstore-tuf", mirror(), root, beforeSigstore).succeeded();
    JsonNode st = JSON.readTree(given().contentType("application/json")
        .body("{\"reason\":\"root key rotation seen by tuf-js\"}").post("/api/v1/tuf/rotate-root")
        .then().statusCode(200).extract().asByteArray());
    int n = st.path("root").asInt();
    assertThat(n).isGreaterThan(old);

    // Clients that updated before the rotation, and ones starting from version 1, reach version n.
    assertThat(rootVersion(client("tuf-js", mirror(), root, before).succeeded())).isEqualTo(n);
    assertThat(rootVersion(client("sigstore-tuf", mirror(), root, beforeSigstore).succeeded())).isEqualTo(n);
    Result fresh = client("tuf-js", mirror(), root, freshCache()).succeeded();
    assertThat(rootVersion(fresh)).isEqualTo(n);
    assertThat(targetLine(fresh, TRUSTED_ROOT)).isEqualTo(expectedLine(TRUSTED_ROOT, trustRoot()));
    assertThat(rootVersion(client("sigstore-tuf", mirror(), root, freshCache()).succeeded())).isEqualTo(n);
  }

  private static byte[] withExpires(byte[] timestamp) {
    try {
      ObjectNode ts = (ObjectNode) JSON.readTree(timestamp);
      ((ObjectNode) ts.path("signed")).put("expires", "2099-01-01T00:00:00Z");
      return JSON.writeValueAsBytes(ts);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A mirror in front of ours that passes every file through {@code tamper} (file name, body):
   * what a compromised or corrupted mirror inside the site would serve.
   */
  private static final class Tamperer implements AutoCloseable {
    private final HttpServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    Tamperer(BiFunction<String, byte[], byte[]> tamper) throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/tuf/", exchange -> {
        try {
          String path = exchange.getRequestURI().getPath();
          HttpResponse<byte[]> upstream = http.send(HttpRequest.newBuilder(URI.create(
              "http://127.0.0.1:" + RestAssured.port + path)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
          byte[] body = upstream.statusCode() == 200
              ? tamper.apply(path.substring(path.lastIndexOf('/') + 1), upstream.body())
              : upstream.body();
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(upstream.statusCode(), body.length == 0 ? -1 : body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          exchange.close();
        }
      });
      server.start();
    }

    String mirror() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/tuf";
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
