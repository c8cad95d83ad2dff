package dev.airseal.peers;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.log.Rfc6962;
import dev.airseal.testing.TestEntries;
import dev.airseal.testing.TrustedRoots;
import dev.sigstore.TrustedRootProvider;
import dev.sigstore.rekor.client.RekorEntry;
import dev.sigstore.rekor.client.RekorResponse;
import dev.sigstore.rekor.client.RekorVerificationException;
import dev.sigstore.rekor.client.RekorVerifier;
import dev.sigstore.trustroot.SigstoreTrustedRoot;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sigstore-java 2.0.0's {@link RekorVerifier} (the verifier behind its Java clients) checks what our
 * API serves: the SET, the inclusion proof, and the checkpoint (root, signer name, key hint,
 * signature). Everything is offline: the trusted root is written here and names only our log.
 *
 * <p>sigstore-java matches the checkpoint signature by name against the host of the log's
 * {@code baseUrl} in the trusted root, so the root must name the log by the host in our checkpoint
 * origin ({@code airseal.log.hostname}, default the machine's host name), not by the address the
 * test reaches it at.
 */
@QuarkusTest
class SigstoreJavaPeerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant VALID_FROM = Instant.now().minus(1, ChronoUnit.DAYS);

  @TempDir Path dir;

  private static PublicKey logKey() {
    return TrustedRoots.parsePem(given().get("/api/v1/log/publicKey").then().statusCode(200).extract().asString());
  }

  /** The host name our checkpoints carry, in the origin line and as the signer's name. */
  private static String checkpointHost() throws Exception {
    String note = JSON.readTree(given().get("/api/v1/log").asString()).path("signedTreeHead").asText();
    String origin = note.lines().findFirst().orElseThrow();
    String host = origin.substring(0, origin.lastIndexOf(" - "));
    assertThat(note).contains("\n\n\u2014 " + host + " ");
    return host;
  }

  private static String baseUrl(String host) {
    return "http://" + host + ":" + RestAssured.port;
  }

  private static SigstoreTrustedRoot root(PublicKey key, String baseUrl) throws Exception {
    byte[] json = TrustedRoots.forLog(key, baseUrl, VALID_FROM).getBytes(StandardCharsets.UTF_8);
    return SigstoreTrustedRoot.from(new ByteArrayInputStream(json));
  }

  private static RekorVerifier ourVerifier() throws Exception {
    return RekorVerifier.newRekorVerifier(root(logKey(), baseUrl(checkpointHost())));
  }

  /** A new hashedrekord entry in our log; returns its UUID. */
  private static String append() {
    byte[] artifact = ("sigstore-java " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
    Response r = given().contentType("application/json")
        .body(TestEntries.hashedRekord(TestEntries.p256(), artifact)).post("/api/v1/log/entries");
    r.then().statusCode(201);
    return r.header("ETag");
  }

  private static String entryJson(String uuid) {
    return given().get("/api/v1/log/entries/" + uuid).then().statusCode(200).extract().asString();
  }

  private static RekorEntry parse(String uuid, String json) throws Exception {
    RekorResponse r = RekorResponse.newRekorResponse(URI.create(baseUrl("127.0.0.1") + "/api/v1/log/entries/" + uuid), json);
    assertThat(r.getUuid()).isEqualTo(uuid);
    return r.getEntry();
  }

  @Test
  void entriesFromOurApi_verify() throws Exception {
    append();
    String uuid = append();
    RekorVerifier verifier = ourVerifier();

    RekorEntry byUuid = parse(uuid, entryJson(uuid));
    verifier.verifyEntry(byUuid);
    assertThat(byUuid.getVerification().getInclusionProof().getTreeSize()).isGreaterThan(byUuid.getLogIndex());

    String byIndex = given().get("/api/v1/log/entries?logIndex=" + (byUuid.getLogIndex() - 1))
        .then().statusCode(200).extract().asString();
    String previous = JSON.readTree(byIndex).fieldNames().next();
    verifier.verifyEntry(parse(previous, byIndex));

    // The create response itself (201) carries a verifiable entry, as Rekor's does.
    byte[] artifact = ("created " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
    Response created = given().contentType("application/json")
        .body(TestEntries.hashedRekord(TestEntries.p256(), artifact)).post("/api/v1/log/entries");
    created.then().statusCode(201);
    verifier.verifyEntry(parse(created.header("ETag"), created.asString()));
  }

  @Test
  void trustedRootFile_loadsThroughTrustedRootProvider() throws Exception {
    String uuid = append();
    Path file = TrustedRoots.write(dir.resolve("trusted_root.json"), logKey(), baseUrl(checkpointHost()), VALID_FROM);
    SigstoreTrustedRoot root = TrustedRootProvider.from(file).get();
    assertThat(root.getTLogs()).hasSize(1);
    RekorVerifier.newRekorVerifier(root).verifyEntry(parse(uuid, entryJson(uuid)));
  }

  /** Our entry's JSON with one field replaced. */
  private static String tampered(String uuid, String pointer, String value) throws Exception {
    ObjectNode r = (ObjectNode) JSON.readTree(entryJson(uuid));
    JsonNode at = r.get(uuid).at(pointer.substring(0, pointer.lastIndexOf('/')));
    ((ObjectNode) at).put(pointer.substring(pointer.lastIndexOf('/') + 1), value);
    return JSON.writeValueAsString(r);
  }

  @Test
  void tamperedBody_failsTheSet() throws Exception {
    String other = append();
    String uuid = append();
    String otherBody = JSON.readTree(entryJson(other)).get(other).path("body").asText();
    RekorEntry entry = parse(uuid, tampered(uuid, "/body", otherBody));
    assertThatThrownBy(() -> ourVerifier().verifyEntry(entry))
        .isInstanceOf(RekorVerificationException.class).hasMessageContaining("SET");
  }

  @Test
  void setOfAnotherEntry_fails() throws Exception {
    String other = append();
    String uuid = append();
    String otherSet = JSON.readTree(entryJson(other)).get(other).at("/verification/signedEntryTimestamp").asText();
    RekorEntry entry = parse(uuid, tampered(uuid, "/verification/signedEntryTimestamp", otherSet));
    assertThatThrownBy(() -> ourVerifier().verifyEntry(entry))
        .isInstanceOf(RekorVerificationException.class).hasMessageContaining("SET");
  }

  @Test
  void tamperedInclusionProof_fails() throws Exception {
    append();
    String uuid = append();
    ObjectNode r = (ObjectNode) JSON.readTree(entryJson(uuid));
    ArrayNode hashes = (ArrayNode) r.get(uuid).at("/verification/inclusionProof/hashes");
    assertThat(hashes).isNotEmpty();
    hashes.set(0, JSON.getNodeFactory().textNode("00".repeat(32)));
    RekorEntry entry = parse(uuid, JSON.writeValueAsString(r));
    assertThatThrownBy(() -> ourVerifier().verifyEntry(entry))
        .isInstanceOf(RekorVerificationException.class).hasMessageContaining("Inclusion proof");
  }

  @Test
  void anotherLogKey_fails() throws Exception {
    String uuid = append();
    RekorEntry entry = parse(uuid, entryJson(uuid));
    PublicKey stranger = TestEntries.p256().getPublic();
    // A root that trusts another key under its own log ID: our entry names no log it knows.
    RekorVerifier strangers = RekorVerifier.newRekorVerifier(root(stranger, baseUrl(checkpointHost())));
    assertThatThrownBy(() -> strangers.verifyEntry(entry))
        .isInstanceOf(RekorVerificationException.class).hasMessageContaining("does not match any provided");
    // A root that claims our log ID for another key: the SET must not verify under that key.
    ObjectNode json = (ObjectNode) JSON.readTree(TrustedRoots.forLog(stranger, baseUrl(checkpointHost()), VALID_FROM));
    String ourLogId = Base64.getEncoder().encodeToString(
        Rfc6962.sha256(logKey().getEncoded()));
    ((ObjectNode) json.at("/tlogs/0/logId")).put("keyId", ourLogId);
    SigstoreTrustedRoot impostor = SigstoreTrustedRoot.from(new ByteArrayInputStream(JSON.writeValueAsBytes(json)));
    assertThatThrownBy(() -> RekorVerifier.newRekorVerifier(impostor).verifyEntry(entry))
        .isInstanceOf(RekorVerificationException.class).hasMessageContaining("SET");
  }

  @Test
  void rootNamingTheLogByAnotherHost_findsNoCheckpointSignature() throws Exception {
    // A deployment requirement, not a client quirk: the trusted root's baseUrl host must equal
    // airseal.log.hostname, or sigstore-java finds no checkpoint signature it may check.
    String uuid = append();
    String host = checkpointHost();
    String other = host.equals("127.0.0.2") ? "127.0.0.3" : "127.0.0.2";
    RekorVerifier verifier = RekorVerifier.newRekorVerifier(root(logKey(), baseUrl(other)));
    RekorEntry entry = parse(uuid, entryJson(uuid));
    assertThatThrownBy(() -> verifier.verifyEntry(entry))
        .isInstanceOf(RekorVerificationException.class)
        .hasMessageContaining("No matching checkpoint signature found for transparency log: " + other);
  }
}
