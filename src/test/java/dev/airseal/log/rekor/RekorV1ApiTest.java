package dev.airseal.log.rekor;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airseal.log.ConsistencyProof;
import dev.airseal.log.Hex;
import dev.airseal.log.Rfc6962;
import dev.airseal.log.checkpoint.Checkpoint;
import dev.airseal.testing.TestEntries;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(RekorV1ApiTest.OwnLog.class)
class RekorV1ApiTest {
  /**
   * An instance of its own, so the log starts empty whatever other tests appended to the shared
   * one: the tile checks read tile 0 as a partial tile.
   */
  public static class OwnLog implements QuarkusTestProfile {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final KeyPair KEY = TestEntries.p256();

  private static byte[] artifact() {
    return ("artifact " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
  }

  private static Response post(String body) {
    return given().contentType("application/json").body(body).post("/api/v1/log/entries");
  }

  private static PublicKey logKey() throws Exception {
    String pem = given().get("/api/v1/log/publicKey").then().statusCode(200)
        .contentType("application/x-pem-file").extract().asString();
    try (PEMParser p = new PEMParser(new StringReader(pem))) {
      return new JcaPEMKeyConverter().getPublicKey((SubjectPublicKeyInfo) p.readObject());
    }
  }

  private static RekorEntryVerifier verifier() throws Exception {
    JsonNode info = JSON.readTree(given().get("/api/v1/log").asString());
    String origin = info.path("signedTreeHead").asText().split("\n")[0];
    return new RekorEntryVerifier(logKey(), origin.substring(0, origin.lastIndexOf(" - ")));
  }

  @Test
  void create_answers201WithLocationAndAVerifiableEntry() throws Exception {
    Response r = post(TestEntries.hashedRekord(KEY, artifact()));
    r.then().statusCode(201).contentType("application/json");
    JsonNode entries = JSON.readTree(r.asString());
    String uuid = entries.fieldNames().next();
    assertThat(uuid).hasSize(80);
    assertThat(r.header("ETag")).isEqualTo(uuid);
    assertThat(r.header("Location")).isEqualTo("/api/v1/log/entries/" + uuid);
    Checkpoint cp = verifier().verify(uuid, entries.get(uuid));
    assertThat(cp.size()).isGreaterThan(entries.get(uuid).path("logIndex").asLong());

    // The same entry by UUID (80 and 64 hex), by index, and through retrieve.
    JsonNode byUuid = JSON.readTree(given().get("/api/v1/log/entries/" + uuid).asString());
    verifier().verifyAll(byUuid);
    JsonNode byHash = JSON.readTree(given().get("/api/v1/log/entries/" + uuid.substring(16)).asString());
    assertThat(byHash.fieldNames().next()).isEqualTo(uuid);
    long idx = entries.get(uuid).path("logIndex").asLong();
    JsonNode byIndex = JSON.readTree(given().get("/api/v1/log/entries?logIndex=" + idx).asString());
    assertThat(byIndex.get(uuid).path("body").asText()).isEqualTo(entries.get(uuid).path("body").asText());
    JsonNode retrieved = JSON.readTree(given().contentType("application/json")
        .body("{\"entryUUIDs\":[\"" + uuid + "\"],\"logIndexes\":[" + idx + "]}")
        .post("/api/v1/log/entries/retrieve").then().statusCode(200).extract().asString());
    assertThat(retrieved).hasSize(2);
  }

  @Test
  void create_refusesDuplicatesWith409AndTheExistingLocation() {
    String body = TestEntries.hashedRekord(KEY, artifact());
    String uuid = post(body).then().statusCode(201).extract().header("ETag");
    post(body).then().statusCode(409)
        .header("Location", "/api/v1/log/entries/" + uuid)
        .body("code", equalTo(409));
  }

  @Test
  void badInput_getsRekorErrorShapeAnd4xx() {
    byte[] a = artifact();
    post("{not json").then().statusCode(400).body("code", equalTo(400)).body("message", startsWith("malformed JSON"));
    post("[]").then().statusCode(400).body("code", equalTo(400));
    post("").then().statusCode(400);
    post("{\"kind\":\"nosuchkind\",\"apiVersion\":\"0.0.1\",\"spec\":{}}").then().statusCode(400).body("code", equalTo(400));
    // A signature over other bytes.
    post(TestEntries.hashedRekord(KEY, a, TestEntries.sign(KEY, artifact()))).then().statusCode(400);
    // A signature by another key.
    post(TestEntries.hashedRekord(KEY, a, TestEntries.sign(TestEntries.p256(), a))).then().statusCode(400);
    String big = "{\"kind\":\"hashedrekord\",\"pad\":\"" + "x".repeat(1_100_000) + "\"}";
    post(big).then().statusCode(413).body("code", equalTo(413));
    given().get("/api/v1/log/entries/xyz").then().statusCode(400).body("code", equalTo(400));
    given().get("/api/v1/log/entries/" + "ab".repeat(32)).then().statusCode(404).body("code", equalTo(404));
    given().get("/api/v1/log/entries/" + "0".repeat(16) + "ab".repeat(32)).then().statusCode(404);
    given().get("/api/v1/log/entries?logIndex=99999999").then().statusCode(404);
    given().get("/api/v1/log/entries?logIndex=-1").then().statusCode(400);
    given().get("/api/v1/log/proof?firstSize=5&lastSize=2").then().statusCode(400).body("code", equalTo(400));
    given().get("/api/v1/log/proof?lastSize=999999999").then().statusCode(400);
    given().get("/api/v1/log/publicKey?treeID=12").then().statusCode(404);
  }

  @Test
  void proofAndTiles_agreeWithEachOther() throws Exception {
    List<byte[]> leaves = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      post(TestEntries.hashedRekord(KEY, artifact())).then().statusCode(201);
    }
    JsonNode info = JSON.readTree(given().get("/api/v1/log").asString());
    long size = info.path("treeSize").asLong();
    byte[] root = Hex.decode(info.path("rootHash").asText());
    assertThat(size).isLessThan(256);
    // Level-0 tile: the leaf hashes; the entry bundle: the bodies they hash.
    byte[] tile = given().get("/tile/0/000.p/" + size).then().statusCode(200)
        .header("Cache-Control", "public, max-age=31536000, immutable").extract().asByteArray();
    byte[] bundle = given().get("/tile/entries/000.p/" + size).then().statusCode(200).extract().asByteArray();
    assertThat(tile).hasSize((int) size * 32);
    int off = 0;
    for (int i = 0; i < size; i++) {
      int len = ((bundle[off] & 0xff) << 8) | (bundle[off + 1] & 0xff);
      byte[] body = java.util.Arrays.copyOfRange(bundle, off + 2, off + 2 + len);
      off += 2 + len;
      byte[] leaf = Rfc6962.hashLeaf(body);
      assertThat(java.util.Arrays.copyOfRange(tile, i * 32, i * 32 + 32)).isEqualTo(leaf);
      leaves.add(leaf);
    }
    assertThat(off).isEqualTo(bundle.length);
    // A consistency proof from size 1 (whose root is the first leaf) to the current size.
    JsonNode p = JSON.readTree(given().get("/api/v1/log/proof?firstSize=1&lastSize=" + size).asString());
    List<byte[]> hashes = new ArrayList<>();
    p.path("hashes").forEach(h -> hashes.add(Hex.decode(h.asText())));
    assertThat(p.path("rootHash").asText()).isEqualTo(Hex.encode(root));
    ConsistencyProof.verify(1, size, hashes, leaves.get(0), root);
    given().get("/checkpoint").then().statusCode(200).body(equalTo(info.path("signedTreeHead").asText()));
    given().get("/tile/0/000.p/" + (size + 1)).then().statusCode(404);
    given().get("/tile/0/000").then().statusCode(404);
    given().get("/tile/0/x000/000").then().statusCode(404);
    given().get("/tile/0/0000.p/1").then().statusCode(404);
  }

  @Test
  void indexRetrieve_findsEntriesByHashAndPublicKey() {
    byte[] a = artifact();
    String uuid = post(TestEntries.hashedRekord(KEY, a)).then().statusCode(201).extract().header("ETag");
    String sha = "sha256:" + Hex.encode(Rfc6962.sha256(a));
    given().contentType("application/json").body("{\"hash\":\"" + sha + "\"}").post("/api/v1/index/retrieve")
        .then().statusCode(200).body("[0]", equalTo(uuid));
    String pem = Base64.getEncoder().encodeToString(TestEntries.publicKeyPem(KEY).getBytes(StandardCharsets.US_ASCII));
    String byKey = given().contentType("application/json")
        .body("{\"publicKey\":{\"format\":\"x509\",\"content\":\"" + pem + "\"}}")
        .post("/api/v1/index/retrieve").then().statusCode(200).extract().asString();
    assertThat(byKey).contains(uuid);
    given().contentType("application/json").body("{}").post("/api/v1/index/retrieve").then().statusCode(400);
  }
}
