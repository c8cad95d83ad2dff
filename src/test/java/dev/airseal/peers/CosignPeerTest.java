package dev.airseal.peers;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airseal.testing.Peers;
import dev.airseal.testing.Peers.Result;
import dev.airseal.testing.TestEntries;
import dev.airseal.testing.TrustedRoots;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cosign 2.5 (sigstore/cosign, Debian trixie) signs into our log and verifies offline against our
 * log key alone. {@code cosign sign} checks nothing in our reply, so every case proves itself with
 * a verification: SET (image path), or SET, inclusion proof and signed checkpoint (new bundles).
 *
 * <p>cosign never reaches the network here: verification always gets {@code --offline} and our key
 * ({@code SIGSTORE_REKOR_PUBLIC_KEY} or {@code --trusted-root}), and {@link Peers} points every
 * proxy variable at a closed loopback port.
 */
@QuarkusTest
class CosignPeerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD = "test-only";
  private static final Pattern TLOG_INDEX = Pattern.compile("tlog entry created with index: (\\d+)");

  @TempDir static Path dir;
  private static LocalRegistry registry;

  @BeforeAll
  static void startRegistryAndMakeKey() throws Exception {
    Peers.require("cosign");
    registry = LocalRegistry.start(Files.createDirectories(dir.resolve("registry")));
    cosign("generate-key-pair").succeeded();
  }

  @AfterAll
  static void stopRegistry() throws Exception {
    if (registry != null) {
      registry.close();
    }
  }

  private static Peers.Run cosignRun(String... args) {
    return Peers.peer(dir, "cosign", args).env("COSIGN_PASSWORD", PASSWORD);
  }

  private static Result cosign(String... args) {
    return cosignRun(args).run();
  }

  private static String logUrl() {
    return "http://127.0.0.1:" + RestAssured.port;
  }

  private static String logKeyPem() {
    return given().get("/api/v1/log/publicKey").then().statusCode(200).extract().asString();
  }

  /**
   * cosign 2.5 takes an entry at log index 0 for a missing one ("nil value in transaction log
   * entry"). The test profile has no genesis entry (GenesisEntryTest covers it), so seed one.
   */
  private static void seedLog() {
    given().contentType("application/json")
        .body(TestEntries.hashedRekord(TestEntries.p256(), UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8)))
        .post("/api/v1/log/entries").then().statusCode(201);
  }

  private static long treeSize() throws Exception {
    return JSON.readTree(given().get("/api/v1/log").asString()).path("treeSize").asLong();
  }

  private static JsonNode entryAt(long index) throws Exception {
    JsonNode r = JSON.readTree(given().get("/api/v1/log/entries?logIndex=" + index).then().statusCode(200).extract().asString());
    return r.elements().next();
  }

  private static long loggedIndex(Result sign) {
    Matcher m = TLOG_INDEX.matcher(sign.stdout() + sign.stderr());
    assertThat(m.find()).as(sign.describe()).isTrue();
    return Long.parseLong(m.group(1));
  }

  private static String cosignPublicKeyBase64() throws Exception {
    return Base64.getEncoder().encodeToString(Files.readAllBytes(dir.resolve("cosign.pub")));
  }

  @Test
  void image_signedIntoOurLog_verifiesOfflineAgainstOurLogKeyOnly() throws Exception {
    seedLog();
    String ref = registry.pushImage("airseal/peer", "v1", "hello.txt",
        ("hello " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8));
    long before = treeSize();

    Result sign = cosign("sign", "-y", "--key", "cosign.key", "--rekor-url", logUrl(),
        "--allow-http-registry", "--tlog-upload=true", ref).succeeded();
    long index = loggedIndex(sign);
    assertThat(index).isGreaterThanOrEqualTo(before);
    assertThat(treeSize()).isGreaterThan(index);
    JsonNode entry = entryAt(index);
    JsonNode body = JSON.readTree(Base64.getDecoder().decode(entry.path("body").asText()));
    assertThat(body.path("kind").asText()).isEqualTo("hashedrekord");
    assertThat(body.at("/spec/signature/publicKey/content").asText()).isEqualTo(cosignPublicKeyBase64());
    String uuid = JSON.readTree(given().get("/api/v1/log/entries?logIndex=" + index).asString()).fieldNames().next();
    String signedHash = "sha256:" + body.at("/spec/data/hash/value").asText();
    String found = given().contentType("application/json").body("{\"hash\":\"" + signedHash + "\"}")
        .post("/api/v1/index/retrieve").then().statusCode(200).extract().asString();
    assertThat(found).contains(uuid);

    Path logKey = Files.writeString(dir.resolve("log.pub"), logKeyPem());
    // No --insecure-ignore-tlog: cosign checks the SET against our key and that the logged entry
    // is this signature over this payload.
    Result verify = cosignRun("verify", "--key", "cosign.pub", "--allow-http-registry", "--offline", ref)
        .env("SIGSTORE_REKOR_PUBLIC_KEY", logKey.toString()).run().succeeded();
    assertThat(verify.stderr()).as(verify.describe())
        .contains("Existence of the claims in the transparency log was verified offline");
    JsonNode payload = JSON.readTree(verify.stdout()).get(0).at("/optional/Bundle/Payload");
    assertThat(payload.path("logIndex").asLong()).as(verify.describe()).isEqualTo(index);
    assertThat(payload.path("body").asText()).isEqualTo(entry.path("body").asText());
    assertThat(payload.path("logID").asText()).isEqualTo(entry.path("logID").asText());
    assertThat(payload.path("integratedTime").asLong()).isEqualTo(entry.path("integratedTime").asLong());
  }

  @Test
  void image_doesNotVerifyAgainstAnotherRekorKey() throws Exception {
    String ref = registry.pushImage("airseal/other", "v1", "other.txt",
        ("other " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8));
    cosign("sign", "-y", "--key", "cosign.key", "--rekor-url", logUrl(), "--allow-http-registry",
        "--tlog-upload=true", ref).succeeded();
    Path wrongKey = Files.writeString(dir.resolve("wrong-log.pub"), TestEntries.publicKeyPem(TestEntries.p256()));
    Result r = cosignRun("verify", "--key", "cosign.pub", "--allow-http-registry", "--offline", ref)
        .env("SIGSTORE_REKOR_PUBLIC_KEY", wrongKey.toString()).run().failed();
    assertThat(r.stderr()).as(r.describe()).contains("rekor");
  }

  @Test
  void blob_newBundle_verifiesOfflineWithATrustedRootNamingOurLog() throws Exception {
    seedLog();
    Path blob = Files.writeString(dir.resolve("blob-" + UUID.randomUUID() + ".txt"), "blob " + UUID.randomUUID());
    Path bundle = dir.resolve("bundle.json");
    cosign("sign-blob", "-y", "--key", "cosign.key", "--rekor-url", logUrl(), "--new-bundle-format",
        "--bundle", bundle.toString(), blob.toString()).succeeded();

    PublicKey logKey = TrustedRoots.parsePem(logKeyPem());
    Instant from = Instant.now().minus(1, ChronoUnit.DAYS);
    Path root = TrustedRoots.write(dir.resolve("trusted_root.json"), logKey, logUrl(), from);
    // SET, inclusion proof against the checkpoint's root, checkpoint signature and key hint.
    cosign("verify-blob", "--offline", "--new-bundle-format", "--bundle", bundle.toString(),
        "--trusted-root", root.toString(), "--key", "cosign.pub", blob.toString()).succeeded();

    JsonNode tlog = JSON.readTree(bundle.toFile()).at("/verificationMaterial/tlogEntries/0");
    long index = tlog.path("logIndex").asLong();
    assertThat(index).isPositive();
    JsonNode entry = entryAt(index);
    assertThat(tlog.path("canonicalizedBody").asText()).isEqualTo(entry.path("body").asText());
    assertThat(tlog.at("/inclusionProof/checkpoint/envelope").asText())
        .isEqualTo(entry.at("/verification/inclusionProof/checkpoint").asText());

    Path wrongRoot = TrustedRoots.write(dir.resolve("wrong_trusted_root.json"),
        TestEntries.p256().getPublic(), logUrl(), from);
    Result wrong = cosign("verify-blob", "--offline", "--new-bundle-format", "--bundle", bundle.toString(),
        "--trusted-root", wrongRoot.toString(), "--key", "cosign.pub", blob.toString()).failed();
    assertThat(wrong.stderr()).as(wrong.describe()).contains("not enough verified log entries from transparency log");
  }
}
