package dev.airseal.peers;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.log.Hex;
import dev.airseal.log.Rfc6962;
import dev.airseal.testing.Peers;
import dev.airseal.testing.Peers.Result;
import dev.airseal.testing.TestEntries;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * rekor-cli 1.3 (sigstore/rekor, Debian trixie) as a client of our log. rekor-cli checks every
 * entry it reads (SET against the key from {@code /api/v1/log/publicKey}, inclusion proof,
 * checkpoint signature) and every tree head against the one it stored before (consistency proof),
 * so its exit code is a verdict on our answers.
 */
@QuarkusTest
class RekorCliPeerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CREATED =
      Pattern.compile("Created entry at index (\\d+), available at: (\\S+)/api/v1/log/entries/([0-9a-f]{80})");

  @TempDir Path home;
  private String url;
  private KeyPair key;
  private Path publicKey;

  @BeforeEach
  void setUp() throws Exception {
    Peers.require("rekor-cli");
    url = "http://127.0.0.1:" + RestAssured.port;
    key = TestEntries.p256();
    publicKey = Files.writeString(home.resolve("pub.pem"), TestEntries.publicKeyPem(key));
  }

  private Result rekorCli(String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--rekor_server";
    all[args.length + 1] = url;
    return Peers.peer(home, "rekor-cli", all).run();
  }

  private record Signed(byte[] artifact, String sha256, Path signature) {}

  private Signed sign(String name) throws Exception {
    byte[] artifact = (name + " " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
    Path sig = Files.write(home.resolve(name + ".sig"), TestEntries.sign(key, artifact));
    return new Signed(artifact, Hex.encode(Rfc6962.sha256(artifact)), sig);
  }

  private Result uploadHashedRekord(Signed s) {
    return rekorCli("upload", "--type", "hashedrekord:0.0.1", "--artifact-hash", s.sha256(),
        "--signature", s.signature().toString(), "--public-key", publicKey.toString(), "--pki-format", "x509");
  }

  /** The UUID and index rekor-cli reported for an upload it accepted. */
  private record Created(long index, String uuid) {}

  private Created created(Result r) {
    r.succeeded();
    Matcher m = CREATED.matcher(r.stdout());
    assertThat(m.find()).as(r.describe()).isTrue();
    assertThat(m.group(2)).isEqualTo(url);
    return new Created(Long.parseLong(m.group(1)), m.group(3));
  }

  private static JsonNode ourEntry(String uuid) throws Exception {
    JsonNode r = JSON.readTree(given().get("/api/v1/log/entries/" + uuid).then().statusCode(200).extract().asString());
    return r.get(uuid);
  }

  private static JsonNode spec(JsonNode entry) throws Exception {
    return JSON.readTree(Base64.getDecoder().decode(entry.path("body").asText())).get("spec");
  }

  /** rekor-cli's {@code get --format json} output must be our entry, field by field. */
  private void assertGetMatches(Result get, Created c, String bodyType) throws Exception {
    get.succeeded();
    JsonNode theirs = JSON.readTree(get.stdout());
    JsonNode ours = ourEntry(c.uuid());
    assertThat(theirs.path("UUID").asText()).as(get.describe()).isEqualTo(c.uuid());
    assertThat(theirs.path("LogIndex").asLong()).isEqualTo(c.index()).isEqualTo(ours.path("logIndex").asLong());
    assertThat(theirs.path("LogID").asText()).isEqualTo(ours.path("logID").asText());
    assertThat(theirs.path("IntegratedTime").asLong()).isEqualTo(ours.path("integratedTime").asLong());
    assertThat(theirs.path("Body").path(bodyType)).as(get.describe()).isEqualTo(spec(ours));
  }

  @Test
  void hashedRekord_uploadGetSearchAndVerify() throws Exception {
    Signed s = sign("artifact");
    Created c = created(uploadHashedRekord(s));
    assertThat(ourEntry(c.uuid()).path("logIndex").asLong()).isEqualTo(c.index());

    assertGetMatches(rekorCli("get", "--log-index", Long.toString(c.index()), "--format", "json"), c, "HashedRekordObj");
    assertGetMatches(rekorCli("get", "--uuid", c.uuid(), "--format", "json"), c, "HashedRekordObj");

    Result bySha = rekorCli("search", "--sha", s.sha256()).succeeded();
    assertThat(bySha.stdout().lines()).as(bySha.describe()).contains(c.uuid());
    Result byKey = rekorCli("search", "--public-key", publicKey.toString(), "--pki-format", "x509").succeeded();
    assertThat(byKey.stdout().lines()).as(byKey.describe()).contains(c.uuid());

    // verify: rekor-cli finds the entry by its content, then checks SET, inclusion proof and the
    // signed checkpoint, and recomputes the root from the leaf it hashed itself.
    Result verify = rekorCli("verify", "--type", "hashedrekord:0.0.1", "--artifact-hash", s.sha256(),
        "--signature", s.signature().toString(), "--public-key", publicKey.toString(), "--pki-format", "x509")
        .succeeded();
    assertThat(verify.stdout()).as(verify.describe()).contains("Entry Hash: " + c.uuid().substring(16));
    JsonNode proof = JSON.readTree(rekorCli("verify", "--uuid", c.uuid(), "--format", "json").succeeded().stdout());
    JsonNode ours = ourEntry(c.uuid()).path("verification").path("inclusionProof");
    assertThat(proof.path("Index").asLong()).isEqualTo(c.index());
    assertThat(proof.path("RootHash").asText()).isEqualTo(ours.path("rootHash").asText());
    assertThat(proof.path("Checkpoint").asText()).isEqualTo(ours.path("checkpoint").asText());
  }

  @Test
  void verify_failsForWrongArtifactHash() throws Exception {
    Signed s = sign("artifact");
    created(uploadHashedRekord(s));
    Signed other = sign("other");
    rekorCli("verify", "--type", "hashedrekord:0.0.1", "--artifact-hash", other.sha256(),
        "--signature", s.signature().toString(), "--public-key", publicKey.toString(), "--pki-format", "x509")
        .failed();
  }

  @Test
  void verify_failsForSignedArtifactThatWasNeverLogged() throws Exception {
    // A valid signature that our log never saw: rekor-cli must not be told it is included.
    Signed s = sign("unlogged");
    Result r = rekorCli("verify", "--type", "hashedrekord:0.0.1", "--artifact-hash", s.sha256(),
        "--signature", s.signature().toString(), "--public-key", publicKey.toString(), "--pki-format", "x509")
        .failed();
    assertThat(r.stdout() + r.stderr()).as(r.describe()).contains("entry in log cannot be located");
  }

  @Test
  void loginfo_provesConsistencyWithTheTreeHeadItStored() throws Exception {
    created(uploadHashedRekord(sign("first")));
    Result first = rekorCli("loginfo").succeeded();
    long size1 = treeSize(first);
    Path state = home.resolve(".rekor/state.json");
    assertThat(state).as("rekor-cli stores the verified checkpoint").exists();
    assertThat(storedSize(state)).isEqualTo(size1);

    created(uploadHashedRekord(sign("second")));
    // Now rekor-cli fetches /api/v1/log/proof?firstSize=size1&lastSize=size2 and checks it
    // against the stored root before it stores the new head.
    Result second = rekorCli("loginfo").succeeded();
    long size2 = treeSize(second);
    assertThat(second.stdout()).as(second.describe()).contains("Verification Successful!");
    assertThat(size2).isGreaterThan(size1);
    assertThat(storedSize(state)).isEqualTo(size2);
    JsonNode info = JSON.readTree(given().get("/api/v1/log").asString());
    assertThat(second.stdout()).contains(info.path("treeID").asText());
  }

  @Test
  void loginfo_failsWhenTheStoredRootIsNotAnAncestorOfOurs() throws Exception {
    // Shows the consistency check above is real: rekor-cli verifies our consistency proof from the
    // root it stored, so a stored root our tree never had must make it fail.
    created(uploadHashedRekord(sign("first")));
    rekorCli("loginfo").succeeded();
    Path state = home.resolve(".rekor/state.json");
    ObjectNode stored = (ObjectNode) JSON.readTree(Files.readString(state));
    // rekor-cli keeps the head under the server URL and under the tree ID (1.3 checks against the
    // latter: forging only the URL one goes unnoticed); forge both.
    for (String k : names(stored)) {
      String[] lines = stored.path(k).asText().split("\n", -1);
      lines[2] = Base64.getEncoder().encodeToString(new byte[32]);
      stored.put(k, String.join("\n", lines));
    }
    Files.writeString(state, stored.toString());
    created(uploadHashedRekord(sign("second")));
    Result r = rekorCli("loginfo").failed();
    assertThat(r.stderr()).as(r.describe()).contains("does not match expected root");
  }

  private static List<String> names(JsonNode o) {
    List<String> names = new ArrayList<>();
    o.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** The size in the checkpoint rekor-cli stored for our server's URL. */
  private long storedSize(Path state) throws Exception {
    String checkpoint = JSON.readTree(Files.readString(state)).path(url).asText();
    return Long.parseLong(checkpoint.split("\n")[1]);
  }

  private static long treeSize(Result r) {
    Matcher m = Pattern.compile("Total Tree Size:\\s+(\\d+)").matcher(r.stdout());
    assertThat(m.find()).as(r.describe()).isTrue();
    return Long.parseLong(m.group(1));
  }

  @Test
  void dsseAndIntoto_uploadEnvelopeSignedInJava() throws Exception {
    Path intotoEnv = Files.writeString(home.resolve("intoto.json"), envelope());
    Created intoto = created(rekorCli("upload", "--type", "intoto:0.0.2", "--artifact", intotoEnv.toString(),
        "--public-key", publicKey.toString()));
    assertGetMatches(rekorCli("get", "--uuid", intoto.uuid(), "--format", "json"), intoto, "IntotoObj");
    rekorCli("verify", "--uuid", intoto.uuid()).succeeded();

    Path dsseEnv = Files.writeString(home.resolve("dsse.json"), envelope());
    Created dsse = created(rekorCli("upload", "--type", "dsse:0.0.1", "--artifact", dsseEnv.toString(),
        "--public-key", publicKey.toString()));
    assertGetMatches(rekorCli("get", "--log-index", Long.toString(dsse.index()), "--format", "json"), dsse, "DSSEObj");
    rekorCli("verify", "--uuid", dsse.uuid()).succeeded();
  }

  /** A DSSE envelope over a fresh in-toto statement, signed over its PAE by {@link #key}. */
  private String envelope() {
    String type = "application/vnd.in-toto+json";
    String statement = "{\"_type\":\"https://in-toto.io/Statement/v0.1\",\"predicateType\":\"https://airseal.dev/test\","
        + "\"subject\":[{\"name\":\"a\",\"digest\":{\"sha256\":\"" + Hex.encode(Rfc6962.sha256(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8)))
        + "\"}}],\"predicate\":{}}";
    byte[] payload = statement.getBytes(StandardCharsets.UTF_8);
    // SPEC: https://github.com/secure-systems-lab/dsse/blob/master/protocol.md
    // PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body
    byte[] pae = ("DSSEv1 " + type.length() + " " + type + " " + payload.length + " " + statement)
        .getBytes(StandardCharsets.UTF_8);
    Base64.Encoder b64 = Base64.getEncoder();
    return JSON.createObjectNode()
        .put("payloadType", type)
        .put("payload", b64.encodeToString(payload))
        .set("signatures", JSON.createArrayNode().add(JSON.createObjectNode()
            .put("keyid", "").put("sig", b64.encodeToString(TestEntries.sign(key, pae)))))
        .toString();
  }
}
