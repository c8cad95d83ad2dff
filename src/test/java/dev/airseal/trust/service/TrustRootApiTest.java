package dev.airseal.trust.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.log.Hex;
import dev.airseal.log.Rfc6962;
import dev.airseal.testing.TrustedRoots;
import dev.airseal.testing.Vectors;
import dev.airseal.trust.TrustedRoot;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

@QuarkusTest
class TrustRootApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static TrustedRoot current() throws Exception {
    return TrustedRoot.parse(given().get("/api/v1/trust-root").then().statusCode(200).extract().asByteArray());
  }

  @Test
  void firstStart_createsARootNamingTheLogAndTheTimestampAuthority() throws Exception {
    TrustedRoot root = current();
    assertThat(root.mediaType()).isEqualTo(TrustedRoot.MEDIA_TYPE_V02);
    byte[] logKey = TrustedRoots.parsePem(given().get("/api/v1/log/publicKey").asString()).getEncoded();
    assertThat(root.tlogByLogId(Rfc6962.sha256(logKey))).isPresent();
    assertThat(root.timestampAuthorities()).hasSize(1);
    assertThat(root.timestampAuthorities().get(0).uri()).endsWith("/api/v1/timestamp");
    JsonNode history = JSON.readTree(given().get("/api/v1/trust-root/history").asString());
    assertThat(history.get(history.size() - 1).path("version").asInt()).isEqualTo(1);
    JsonNode sc = JSON.readTree(given().get("/api/v1/signing-config").asString());
    assertThat(sc.path("mediaType").asText()).isEqualTo("application/vnd.dev.sigstore.signingconfig.v0.2+json");
    assertThat(sc.path("rekorTlogUrls").get(0).path("url").asText()).isEqualTo(root.tlogs().get(0).baseUrl());
    assertThat(sc.path("tsaUrls").get(0).path("url").asText()).endsWith("/api/v1/timestamp");
  }

  @Test
  void changes_needAReason_keepVersions_andNeverDropTheOwnLog() throws Exception {
    byte[] publicGood = Files.readAllBytes(Vectors.dir("sigstore-public-good-trust").resolve("production/trusted_root.json"));
    ObjectNode add = JSON.createObjectNode();
    add.set("trustedRoot", JSON.readTree(publicGood));
    given().contentType("application/json").body(add.toString()).post("/api/v1/trust-root/authorities")
        .then().statusCode(400).body("message", containsString("reason"));
    add.put("reason", "carry in the public-good root for keyless bundles");
    int before = Integer.parseInt(
        given().get("/api/v1/trust-root").then().statusCode(200).extract().header("X-Airseal-Trust-Root-Version"));
    String version = given().contentType("application/json").body(add.toString()).post("/api/v1/trust-root/authorities")
        .then().statusCode(200).extract().header("X-Airseal-Trust-Root-Version");
    assertThat(Integer.parseInt(version)).isEqualTo(before + 1);
    TrustedRoot root = current();
    assertThat(root.certificateAuthorities()).isNotEmpty();
    assertThat(root.ctlogs()).isNotEmpty();
    // The old version is still there, unchanged.
    TrustedRoot old = TrustedRoot.parse(given().get("/api/v1/trust-root/versions/" + before).asByteArray());
    assertThat(old.certificateAuthorities().size()).isLessThan(root.certificateAuthorities().size());

    byte[] ownLogId = Rfc6962.sha256(TrustedRoots.parsePem(given().get("/api/v1/log/publicKey").asString()).getEncoded());
    given().contentType("application/json")
        .body("{\"kind\":\"tlog\",\"id\":\"" + Hex.encode(ownLogId) + "\",\"reason\":\"oops\"}")
        .post("/api/v1/trust-root/remove").then().statusCode(400).body("message", containsString("own log"));
    String ctlog = Hex.encode(root.ctlogs().get(0).logId());
    given().contentType("application/json")
        .body("{\"kind\":\"ctlog\",\"id\":\"" + ctlog + "\",\"reason\":\"retired shard\"}")
        .post("/api/v1/trust-root/remove").then().statusCode(200);
    assertThat(current().ctlogByLogId(root.ctlogs().get(0).logId())).isEmpty();
    JsonNode history = JSON.readTree(given().get("/api/v1/trust-root/history").asString());
    assertThat(history.get(0).path("reason").asText()).isEqualTo("retired shard");
    given().contentType("application/json").body("{\"kind\":\"nope\",\"id\":\"x\",\"reason\":\"r\"}")
        .post("/api/v1/trust-root/remove").then().statusCode(400).body("code", equalTo(400));
    assertThat(new String(given().get("/api/v1/trust-root/versions/999").asByteArray(), StandardCharsets.UTF_8)).contains("404");
  }
}
