package dev.airseal.log.rekor;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airseal.log.InclusionProof;
import dev.airseal.log.Rfc6962;
import dev.airseal.log.checkpoint.Checkpoint;
import dev.airseal.log.checkpoint.Checkpoints;
import dev.airseal.log.note.NoteVerifier;
import dev.airseal.testing.TestEntries;
import io.quarkus.test.junit.QuarkusTest;
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
class RekorV2ApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String request(KeyPair k, byte[] artifact, String keyDetails) {
    Base64.Encoder b = Base64.getEncoder();
    return "{\"hashedRekordRequestV002\":{\"digest\":\"" + b.encodeToString(Rfc6962.sha256(artifact))
        + "\",\"signature\":{\"content\":\"" + b.encodeToString(TestEntries.sign(k, artifact))
        + "\",\"verifier\":{\"publicKey\":{\"rawBytes\":\"" + b.encodeToString(k.getPublic().getEncoded())
        + "\"},\"keyDetails\":\"" + keyDetails + "\"}}}}";
  }

  @Test
  void create_answersATransparencyLogEntryWithAVerifiableProof() throws Exception {
    KeyPair k = TestEntries.p256();
    byte[] artifact = ("v2 " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
    String resp = given().contentType("application/json").body(request(k, artifact, "PKIX_ECDSA_P256_SHA_256"))
        .post("/api/v2/log/entries").then().statusCode(201).extract().asString();
    JsonNode tle = JSON.readTree(resp);
    assertThat(tle.path("kindVersion").path("kind").asText()).isEqualTo("hashedrekord");
    assertThat(tle.path("kindVersion").path("version").asText()).isEqualTo("0.0.2");
    assertThat(tle.has("integratedTime")).isFalse();
    byte[] body = Base64.getDecoder().decode(tle.path("canonicalizedBody").asText());
    assertThat(JSON.readTree(body).path("spec").path("hashedRekordV002").path("data").path("algorithm").asText())
        .isEqualTo("SHA2_256");
    JsonNode p = tle.path("inclusionProof");
    long index = Long.parseLong(tle.path("logIndex").asText());
    long size = Long.parseLong(p.path("treeSize").asText());
    byte[] root = Base64.getDecoder().decode(p.path("rootHash").asText());
    List<byte[]> hashes = new ArrayList<>();
    p.path("hashes").forEach(h -> hashes.add(Base64.getDecoder().decode(h.asText())));
    InclusionProof.verify(index, size, Rfc6962.hashLeaf(body), hashes, root);

    PublicKey logKey = parseKey(given().get("/api/v1/log/publicKey").asString());
    byte[] keyId = Base64.getDecoder().decode(tle.path("logId").path("keyId").asText());
    assertThat(keyId).isEqualTo(Rfc6962.sha256(logKey.getEncoded()));
    String note = p.path("checkpoint").path("envelope").asText();
    String origin = note.split("\n")[0];
    Checkpoint cp = Checkpoints.verify(
        note, NoteVerifier.fromPublicKey(origin.substring(0, origin.lastIndexOf(" - ")), logKey), origin);
    assertThat(cp.size()).isEqualTo(size);
    assertThat(cp.rootHash()).isEqualTo(root);
  }

  @Test
  void create_refusesBadRequestsInRekorsErrorShape() {
    KeyPair k = TestEntries.p256();
    byte[] a = ("v2 " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
    given().contentType("application/json").body(request(k, a, "PKIX_ECDSA_P384_SHA_384"))
        .post("/api/v2/log/entries").then().statusCode(400).body("code", equalTo(400));
    given().contentType("application/json").body(request(k, a, "NOT_A_KEY_TYPE"))
        .post("/api/v2/log/entries").then().statusCode(400);
    given().contentType("application/json").body(request(TestEntries.p256(), a, "PKIX_ECDSA_P256_SHA_256")
            .replace("\"content\":\"", "\"content\":\"AAAA"))
        .post("/api/v2/log/entries").then().statusCode(400);
    given().contentType("application/json").body("{\"dsseRequestV002\":{}}")
        .post("/api/v2/log/entries").then().statusCode(400);
    String ok = request(k, a, "PKIX_ECDSA_P256_SHA_256");
    given().contentType("application/json").body(ok).post("/api/v2/log/entries").then().statusCode(201);
    given().contentType("application/json").body(ok).post("/api/v2/log/entries").then().statusCode(409);
  }

  private static PublicKey parseKey(String pem) throws Exception {
    try (PEMParser p = new PEMParser(new StringReader(pem))) {
      return new JcaPEMKeyConverter().getPublicKey((SubjectPublicKeyInfo) p.readObject());
    }
  }
}
