package dev.airseal.log.rekor;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.airseal.testing.TestEntries;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;

/**
 * The write token must never reach the log output, at start-up, on refused writes or on accepted
 * ones: a captured handler on the root logger sees every record, at DEBUG for our packages and with
 * the HTTP access log on.
 */
@QuarkusTest
@TestProfile(SecretsNotLoggedTest.SecretProfile.class)
class SecretsNotLoggedTest {
  static final String TOKEN = "tok-" + UUID.randomUUID();
  static final List<String> RECORDS = new CopyOnWriteArrayList<>();

  public static class SecretProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "airseal.api.write-token", TOKEN,
          "quarkus.log.category.\"dev.airseal\".level", "DEBUG",
          "quarkus.http.access-log.enabled", "true",
          "quarkus.http.access-log.pattern", "combined",
          // The key=value format docs/operations.md suggests: it must be accepted as written.
          "quarkus.log.console.format",
          "ts=%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} level=%p logger=%c thread=%t msg=\"%s\"%e%n");
    }

    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(Capture.class));
    }
  }

  /** Installed before the application starts, so start-up records are captured too. */
  public static class Capture implements QuarkusTestResourceLifecycleManager {
    private static final Formatter FORMAT = new SimpleFormatter();
    private static final Handler HANDLER =
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            RECORDS.add(FORMAT.format(r) + " " + r.getMessage() + " "
                + (r.getParameters() == null ? "" : List.of(r.getParameters())));
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };

    @Override
    public Map<String, String> start() {
      HANDLER.setLevel(Level.ALL);
      Logger.getLogger("").addHandler(HANDLER);
      return Map.of();
    }

    @Override
    public void stop() {
      Logger.getLogger("").removeHandler(HANDLER);
    }
  }

  private static final KeyPair KEY = TestEntries.p256();

  private static String entry() {
    return TestEntries.hashedRekord(KEY, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void writeToken_neverAppearsInTheLogs() {
    given().contentType("application/json").header("Authorization", "Bearer " + TOKEN + "x")
        .body(entry()).post("/api/v1/log/entries").then().statusCode(401);
    given().contentType("application/json").header("Authorization", "Bearer " + TOKEN)
        .body("{not json").post("/api/v1/log/entries").then().statusCode(400);
    for (int i = 0; i < 3; i++) {
      given().contentType("application/json").header("Authorization", "Bearer " + TOKEN)
          .body(entry()).post("/api/v1/log/entries").then().statusCode(201);
    }
    given().get("/q/metrics").then().statusCode(200);

    assertThat(RECORDS).as("captured records, start-up and access log included").isNotEmpty();
    assertThat(RECORDS).anyMatch(r -> r.contains("open at size"));
    assertThat(RECORDS).anyMatch(r -> r.contains("POST /api/v1/log/entries"));
    assertThat(RECORDS).noneMatch(r -> r.contains(TOKEN));
  }
}
