package dev.airseal.log.rekor;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.airseal.testing.TestEntries;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

@QuarkusTest
class LogMetricsTest {
  private static final KeyPair KEY = TestEntries.p256();

  private static String scrape() {
    return given().get("/q/metrics").then().statusCode(200).extract().asString();
  }

  /** The value of the first sample line that starts with {@code series} (name and labels). */
  private static double value(String scrape, String series) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(series) + "(?:\\{[^}]*\\})? (\\S+)$").matcher(scrape);
    assertThat(m.find()).as("series %s in\n%s", series, scrape).isTrue();
    return Double.parseDouble(m.group(1));
  }

  private static int post(String body) {
    return given().contentType("application/json").body(body).post("/api/v1/log/entries").statusCode();
  }

  @Test
  void appends_moveTheLogMeters() {
    String before = scrape();
    String dup = TestEntries.hashedRekord(KEY, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
    assertThat(post(dup)).isEqualTo(201);
    assertThat(post(dup)).isEqualTo(409);
    for (int i = 0; i < 2; i++) {
      String e = TestEntries.hashedRekord(KEY, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
      assertThat(post(e)).isEqualTo(201);
    }
    byte[] artifact = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
    byte[] otherSignature = TestEntries.sign(KEY, "something else".getBytes(StandardCharsets.UTF_8));
    assertThat(post(TestEntries.hashedRekord(KEY, artifact, otherSignature))).isEqualTo(400);
    String after = scrape();

    assertThat(value(after, "airseal_log_size") - value(before, "airseal_log_size")).isEqualTo(3);
    assertThat(delta(before, after, "airseal_log_appends_total{result=\"created\"}")).isEqualTo(3);
    assertThat(delta(before, after, "airseal_log_appends_total{result=\"duplicate\"}")).isEqualTo(1);
    assertThat(after).contains("airseal_log_appends_total{result=\"refused\"}");
    assertThat(delta(before, after, "airseal_log_entry_verifications_total{result=\"valid\"}"))
        .isEqualTo(4);
    assertThat(delta(before, after, "airseal_log_entry_verifications_total{result=\"invalid\"}"))
        .isEqualTo(1);
    assertThat(delta(before, after, "airseal_log_append_latency_seconds_count")).isEqualTo(3);
    assertThat(value(after, "airseal_log_append_latency_seconds_max")).isPositive();
    assertThat(delta(before, after, "airseal_log_batch_size_entries_count")).isGreaterThanOrEqualTo(3);
    assertThat(delta(before, after, "airseal_log_batch_commit_seconds_count")).isEqualTo(3);
    // Each new entry: one SET and one checkpoint signature.
    assertThat(delta(before, after, "airseal_signer_latency_seconds_count{backend=\"soft\"}"))
        .isGreaterThanOrEqualTo(6);
    assertThat(value(after, "airseal_signer_errors_total{backend=\"soft\"}")).isZero();
    assertThat(value(after, "airseal_trust_root_version")).isGreaterThanOrEqualTo(1);
    assertThat(value(after, "airseal_trust_root_age_seconds")).isGreaterThanOrEqualTo(0);
    assertThat(value(after, "airseal_trust_root_stale")).isZero();
  }

  @Test
  void embeddedDatabase_thisReplicaLeadsWithoutElections() {
    String scrape = scrape();
    assertThat(value(scrape, "airseal_cluster_leader")).isEqualTo(1);
    assertThat(value(scrape, "airseal_cluster_term")).isZero();
  }

  private static double delta(String before, String after, String series) {
    return exact(after, series) - (before.contains(series) ? exact(before, series) : 0);
  }

  private static double exact(String scrape, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
    assertThat(m.find()).as("series %s in\n%s", series, scrape).isTrue();
    return Double.parseDouble(m.group(1));
  }
}
