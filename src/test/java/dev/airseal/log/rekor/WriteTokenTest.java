package dev.airseal.log.rekor;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.airseal.testing.TestEntries;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(WriteTokenTest.TokenProfile.class)
class WriteTokenTest {
  public static class TokenProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("airseal.api.write-token", "s3cret-token");
    }
  }

  private static final KeyPair KEY = TestEntries.p256();

  private static String entry() {
    return TestEntries.hashedRekord(KEY, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void writes_needTheBearerToken_readsDoNot() {
    given().contentType("application/json").body(entry()).post("/api/v1/log/entries")
        .then().statusCode(401).header("WWW-Authenticate", "Bearer").body("code", equalTo(401));
    given().contentType("application/json").header("Authorization", "Bearer wrong").body(entry())
        .post("/api/v1/log/entries").then().statusCode(401);
    given().contentType("application/json").body("{}").post("/api/v2/log/entries").then().statusCode(401);
    // Rotating the log key is a trust change: the token, and nothing rotates without it.
    String key = given().get("/api/v1/log/publicKey").asString();
    given().contentType("application/json").body("{\"reason\":\"r\"}").post("/api/v1/trust-root/rotate-log-key")
        .then().statusCode(401);
    org.assertj.core.api.Assertions.assertThat(given().get("/api/v1/log/publicKey").asString()).isEqualTo(key);
    given().contentType("application/json").header("Authorization", "Bearer s3cret-token").body(entry())
        .post("/api/v1/log/entries").then().statusCode(201);
    given().get("/api/v1/log").then().statusCode(200);
    given().get("/checkpoint").then().statusCode(200);
  }
}
