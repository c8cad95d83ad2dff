package dev.airseal.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(StaleTrustRootReadinessTest.StaleProfile.class)
class StaleTrustRootReadinessTest {
  public static class StaleProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      // Any trust root older than a millisecond is stale: the one created at start-up is.
      return Map.of("airseal.trust.max-age", "PT0.001S");
    }
  }

  @Test
  void staleTrustRoot_makesTheServiceUnready_withTheReason() throws InterruptedException {
    Thread.sleep(5);
    given().get("/q/health/ready").then().statusCode(503)
        .body("status", equalTo("DOWN"))
        .body("checks.find { it.name == 'trust-root' }.status", equalTo("DOWN"))
        .body("checks.find { it.name == 'trust-root' }.data.reason",
            containsString("past airseal.trust.max-age PT0.001S"))
        .body("checks.find { it.name == 'log-key' }.status", equalTo("UP"))
        .body("checks.find { it.name == 'database-writable' }.status", equalTo("UP"));
  }
}
