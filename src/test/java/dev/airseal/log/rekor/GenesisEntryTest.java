package dev.airseal.log.rekor;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airseal.testing.Peers;
import dev.airseal.testing.TrustedRoots;
import io.restassured.RestAssured;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.io.TempDir;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.junit.jupiter.api.Test;

/** A new log takes index 0 itself: cosign refuses an entry at log index 0. */
@QuarkusTest
@TestProfile(GenesisEntryTest.Genesis.class)
class GenesisEntryTest {
  public static class Genesis implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("airseal.log.genesis-entry", "true");
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  @Inject RekorLog rekorLog;

  @TempDir static Path dir;

  @Test
  void newLog_startsWithAnEntryByItsOwnKey_andCosignVerifiesTheFirstSignature() throws Exception {
    JsonNode genesis = JSON.readTree(given().get("/api/v1/log/entries?logIndex=0").then().statusCode(200).extract().asString());
    String uuid = genesis.fieldNames().next();
    JsonNode entry = genesis.get(uuid);
    JsonNode body = JSON.readTree(Base64.getDecoder().decode(entry.path("body").asText()));
    assertThat(body.path("kind").asText()).isEqualTo("hashedrekord");
    String pem = new String(
        Base64.getDecoder().decode(body.path("spec").path("signature").path("publicKey").path("content").asText()),
        StandardCharsets.US_ASCII);
    String logPem = given().get("/api/v1/log/publicKey").asString();
    assertThat(key(pem)).isEqualTo(key(logPem));
    // SET, inclusion proof and checkpoint, as for any entry.
    JsonNode info = JSON.readTree(given().get("/api/v1/log").asString());
    String origin = info.path("signedTreeHead").asText().split("\n")[0];
    new RekorEntryVerifier(key(logPem), origin.substring(0, origin.lastIndexOf(" - "))).verify(uuid, entry);
    byte[] canonical = Base64.getDecoder().decode(entry.path("body").asText());
    assertThat(GenesisEntry.isGenesis(canonical, origin)).isTrue();
    assertThat(GenesisEntry.isGenesis(canonical, origin.replace(" - ", " - 1"))).as("another log's").isFalse();

    // A log with entries gets no second one (a restart, or another replica taking the lead).
    assertThat(GenesisEntry.appendIfEmpty(rekorLog.log(), rekorLog.keys().current().requireSigner()))
        .isEmpty();
    assertThat(JSON.readTree(given().get("/api/v1/log").asString()).path("treeSize").asLong()).isEqualTo(1);

    // The site's first signature, by the real cosign: logged at index 1, so cosign verifies it
    // (at index 0 it would refuse the entry as "nil value in transaction log entry").
    Peers.require("cosign");
    cosign("generate-key-pair").succeeded();
    Path blob = Files.writeString(dir.resolve("first.txt"), "first " + UUID.randomUUID());
    Path bundle = dir.resolve("first.sigstore.json");
    cosign("sign-blob", "-y", "--key", "cosign.key", "--rekor-url", "http://127.0.0.1:" + RestAssured.port,
        "--new-bundle-format", "--bundle", bundle.toString(), blob.toString()).succeeded();
    assertThat(JSON.readTree(bundle.toFile()).at("/verificationMaterial/tlogEntries/0/logIndex").asLong()).isEqualTo(1);
    Path root = TrustedRoots.write(dir.resolve("trusted_root.json"), key(logPem),
        "http://127.0.0.1:" + RestAssured.port, Instant.now().minus(1, ChronoUnit.DAYS));
    cosign("verify-blob", "--offline", "--new-bundle-format", "--bundle", bundle.toString(),
        "--trusted-root", root.toString(), "--key", "cosign.pub", blob.toString()).succeeded();
  }

  private static Peers.Result cosign(String... args) {
    return Peers.peer(dir, "cosign", args).env("COSIGN_PASSWORD", "test-only").run();
  }

  private static PublicKey key(String pem) throws Exception {
    try (PEMParser p = new PEMParser(new StringReader(pem))) {
      return new JcaPEMKeyConverter().getPublicKey((SubjectPublicKeyInfo) p.readObject());
    }
  }
}
