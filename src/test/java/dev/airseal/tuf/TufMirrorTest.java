package dev.airseal.tuf;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.cli.TufCommand;
import dev.airseal.testing.Vectors;
import dev.sigstore.trustroot.SigstoreConfigurationException;
import dev.sigstore.tuf.FileSystemTufStore;
import dev.sigstore.tuf.HttpFetcher;
import dev.sigstore.tuf.InvalidHashesException;
import dev.sigstore.tuf.MetaFetcher;
import dev.sigstore.tuf.PassthroughCacheMetaStore;
import dev.sigstore.tuf.RoleExpiredException;
import dev.sigstore.tuf.RootProvider;
import dev.sigstore.tuf.SignatureVerificationException;
import dev.sigstore.tuf.SigstoreTufClient;
import dev.sigstore.tuf.TrustedMetaStore;
import dev.sigstore.tuf.Updater;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * sigstore-java 2.0.0's TUF client, the one its verifiers use, driven offline against our mirror:
 * over HTTP, and over a file copy of the export for the tampering cases.
 */
@QuarkusTest
class TufMirrorTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TestHTTPResource("/tuf")
  URL mirror;

  @TempDir Path tmp;

  private Path rootV1() throws IOException {
    Path root = tmp.resolve("1.root.json");
    Files.write(root, given().get("/tuf/1.root.json").then().statusCode(200).extract().asByteArray());
    return root;
  }

  private static byte[] trustRoot() {
    return given().get("/api/v1/trust-root").then().statusCode(200).extract().asByteArray();
  }

  private Updater updater(Path cache, Path root, Clock clock, dev.sigstore.tuf.Fetcher meta,
      dev.sigstore.tuf.Fetcher targets) throws IOException {
    FileSystemTufStore store = FileSystemTufStore.newFileSystemStore(Files.createDirectories(cache));
    return Updater.builder()
        .setClock(clock)
        .setTrustedRootPath(RootProvider.fromFile(root))
        .setTrustedMetaStore(TrustedMetaStore.newTrustedMetaStore(PassthroughCacheMetaStore.newPassthroughMetaCache(store)))
        .setTargetStore(store)
        .setMetaFetcher(MetaFetcher.newFetcher(meta))
        .setTargetFetcher(targets)
        .build();
  }

  private Updater httpUpdater(Path cache, Path root, Clock clock) throws IOException {
    URI m = URI.create(mirror.toString());
    return updater(cache, root, clock, HttpFetcher.newFetcher(m), HttpFetcher.newFetcher(URI.create(m + "/targets")));
  }

  @Test
  void sigstoreTufClient_initialisesFromOurRoot_andObtainsTheTrustRootTheApiServes() throws Exception {
    Path cache = tmp.resolve("cache");
    SigstoreTufClient client = SigstoreTufClient.builder()
        .tufMirror(URI.create(mirror.toString()), RootProvider.fromFile(rootV1()))
        .tufCacheLocation(cache)
        .build();
    try {
      client.forceUpdate();
      assertThat(client.getSigstoreTrustedRoot().getTLogs()).isNotEmpty();
      assertThat(client.getSigstoreSigningConfig()).isNotNull();
    } catch (SigstoreConfigurationException e) {
      // sigstore-java 2.0.0 parses only the v0.1 trusted root media type; the site's root is v0.2.
      // The TUF update itself (root, timestamp, snapshot, targets, both target files) completed
      // before the parse: the verified bytes are in the cache.
      assertThat(e.getMessage()).contains("Unsupported trusted root mediaType");
      System.out.println("NOTE: " + e.getMessage() + " (after a verified TUF update)");
    }
    assertThat(Files.readAllBytes(cache.resolve("targets/trusted_root.json"))).isEqualTo(trustRoot());
    assertThat(cache.resolve("targets/signing_config.v0.2.json")).exists();
  }

  @Test
  void expiredTimestamp_isRefused() throws Exception {
    Path root = rootV1();
    httpUpdater(tmp.resolve("now"), root, Clock.systemUTC()).update();
    // Two days on, the one-day timestamp has expired (and nobody has re-signed it).
    Clock later = Clock.offset(Clock.systemUTC(), Duration.ofDays(2));
    assertThatThrownBy(() -> httpUpdater(tmp.resolve("later"), root, later).update())
        .isInstanceOf(RoleExpiredException.class);
  }

  @Test
  void exportedRepository_isAFileMirror_andTamperingIsRefused() throws Exception {
    Path root = rootV1();
    Path dir = tmp.resolve("export");
    untar(given().get("/api/v1/tuf/export").then().statusCode(200).contentType("application/gzip")
        .extract().asByteArray(), dir);
    Path repo = dir.resolve("repository");
    assertThat(repo.resolve("1.root.json")).exists();
    Updater clean = updater(tmp.resolve("clean"), root, Clock.systemUTC(), new DirFetcher(repo), new DirFetcher(repo.resolve("targets")));
    clean.update();
    assertThat(Files.readAllBytes(tmp.resolve("clean/targets/trusted_root.json"))).isEqualTo(trustRoot());

    // A target file changed on the mirror: its hash no longer matches targets.json.
    Path copy = copyTree(repo, tmp.resolve("tampered-target"));
    try (var files = Files.list(copy.resolve("targets"))) {
      for (Path tr : files.filter(p -> p.getFileName().toString().endsWith(".trusted_root.json")).toList()) {
        // Same length, one byte different: only the hash can tell.
        Files.writeString(tr, Files.readString(tr).replaceFirst("\"tlogs\"", "\"tlogz\""));
      }
    }
    assertThatThrownBy(() -> updater(tmp.resolve("c1"), root, Clock.systemUTC(), new DirFetcher(copy),
        new DirFetcher(copy.resolve("targets"))).update()).isInstanceOf(InvalidHashesException.class);

    // timestamp.json's signed part changed without its signature: refused.
    Path copy2 = copyTree(repo, tmp.resolve("tampered-timestamp"));
    ObjectNode ts = (ObjectNode) JSON.readTree(copy2.resolve("timestamp.json").toFile());
    ((ObjectNode) ts.path("signed")).put("expires", "2099-01-01T00:00:00Z");
    JSON.writeValue(copy2.resolve("timestamp.json").toFile(), ts);
    assertThatThrownBy(() -> updater(tmp.resolve("c2"), root, Clock.systemUTC(), new DirFetcher(copy2),
        new DirFetcher(copy2.resolve("targets"))).update()).isInstanceOf(SignatureVerificationException.class);
  }

  @Test
  void newTrustRootVersion_publishesNewTargets_andAnUpdatedClientGetsIt() throws Exception {
    Path root = rootV1();
    Path cache = tmp.resolve("cache");
    httpUpdater(cache, root, Clock.systemUTC()).update();
    int targetsBefore = status().path("targets").asInt();
    ObjectNode add = JSON.createObjectNode();
    add.set("trustedRoot", JSON.readTree(Files.readAllBytes(
        Vectors.dir("sigstore-public-good-trust").resolve("staging/trusted_root.json"))));
    add.put("reason", "staging authorities for the TUF test");
    int code = given().contentType("application/json").body(add.toString()).post("/api/v1/trust-root/authorities")
        .then().extract().statusCode();
    assertThat(code).as("adding staging authorities").isIn(200, 400);
    JsonNode ts = JSON.readTree(given().get("/tuf/timestamp.json").asByteArray());
    if (code == 200) {
      assertThat(status().path("targets").asInt()).isGreaterThan(targetsBefore);
    }
    assertThat(ts.path("signed").path("version").asInt()).isPositive();
    httpUpdater(cache, root, Clock.systemUTC()).update();
    assertThat(Files.readAllBytes(cache.resolve("targets/trusted_root.json"))).isEqualTo(trustRoot());
  }

  @Test
  void rotateRoot_isSignedByOldAndNewKeys_andClientsHoldingVersionOneFollow() throws Exception {
    Path root = rootV1();
    Path cached = tmp.resolve("before");
    httpUpdater(cached, root, Clock.systemUTC()).update();
    given().contentType("application/json").body("{}").post("/api/v1/tuf/rotate-root")
        .then().statusCode(400);
    JsonNode st = JSON.readTree(given().contentType("application/json")
        .body("{\"reason\":\"scheduled root key rotation\"}").post("/api/v1/tuf/rotate-root")
        .then().statusCode(200).extract().asByteArray());
    int n = st.path("root").asInt();
    JsonNode newRoot = JSON.readTree(given().get("/tuf/" + n + ".root.json").then().statusCode(200).extract().asByteArray());
    JsonNode prevRoot = JSON.readTree(given().get("/tuf/" + (n - 1) + ".root.json").asByteArray());
    assertThat(newRoot.path("signatures")).hasSize(2);
    assertThat(newRoot.path("signed").path("roles").path("root").path("keyids"))
        .isNotEqualTo(prevRoot.path("signed").path("roles").path("root").path("keyids"));

    // A client that updated before the rotation, and one that starts from version 1, both follow.
    httpUpdater(cached, root, Clock.systemUTC()).update();
    Path fresh = tmp.resolve("fresh");
    httpUpdater(fresh, root, Clock.systemUTC()).update();
    assertThat(Files.readAllBytes(fresh.resolve("targets/trusted_root.json"))).isEqualTo(trustRoot());
    JsonNode trusted = JSON.readTree(Files.readAllBytes(fresh.resolve("root.json")));
    assertThat(trusted.path("signed").path("version").asInt()).isEqualTo(n);
  }

  @Test
  void cliExport_writesTheArchive_andATrustRootResourceCarryingIt() throws Exception {
    String base = mirror.toString().substring(0, mirror.toString().length() - "/tuf".length());
    Path tgz = tmp.resolve("repo.tar.gz");
    Path cr = tmp.resolve("trustroot.yaml");
    assertThat(new CommandLine(new TufCommand()).execute("export", "--url", base, "-o", tgz.toString())).isZero();
    untar(Files.readAllBytes(tgz), tmp.resolve("x"));
    assertThat(tmp.resolve("x/repository/timestamp.json")).exists();
    assertThat(new CommandLine(new TufCommand()).execute("export", "--url", base, "-o", cr.toString(), "--trustroot", "airseal"))
        .isZero();
    String yaml = Files.readString(cr);
    assertThat(yaml).contains("kind: TrustRoot", "mirrorFS: ", "targets: targets");
    String root = yaml.lines().filter(l -> l.startsWith("    root: ")).findFirst().orElseThrow().substring(10);
    assertThat(JSON.readTree(java.util.Base64.getDecoder().decode(root)).at("/signed/_type").asText()).isEqualTo("root");
  }

  private static JsonNode status() throws IOException {
    return JSON.readTree(given().get("/api/v1/tuf/status").then().statusCode(200).extract().asByteArray());
  }

  /** A file mirror, as a mirrorFS or an unpacked export is. */
  record DirFetcher(Path dir) implements dev.sigstore.tuf.Fetcher {
    @Override
    public String getSource() {
      return dir.toString();
    }

    @Override
    public byte[] fetchResource(String name, int maxLength) throws IOException {
      Path p = dir.resolve(name);
      if (!Files.isRegularFile(p)) {
        return null;
      }
      byte[] b = Files.readAllBytes(p);
      if (b.length > maxLength) {
        throw new dev.sigstore.tuf.FileExceedsMaxLengthException(p.toString(), maxLength);
      }
      return b;
    }
  }

  private static Path copyTree(Path from, Path to) throws IOException {
    try (var files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
    return to;
  }

  // GNU tar reads it as Go's archive/tar (policy-controller) does: one more reader than our own.
  private static void untar(byte[] tgz, Path dir) throws Exception {
    Files.createDirectories(dir);
    Path file = dir.resolve("repo.tar.gz");
    Files.write(file, tgz);
    Process p = new ProcessBuilder("tar", "-xzf", file.toString(), "-C", dir.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("tar -xzf: " + out).isZero();
    try (var in = new GZIPInputStream(new ByteArrayInputStream(tgz))) {
      assertThat(in.readAllBytes().length % 512).isZero();
    }
  }
}
