package dev.airseal.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.airseal.store.AuditLog;
import dev.airseal.testing.Peers;
import dev.airseal.testing.TestEntries;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real browser (headless Chromium) follows a one-time login link, gets its session cookie, loads
 * the console and runs its script: the DOM it dumps must hold the data the script filled in.
 */
@QuarkusTest
@TestProfile(ConsoleProfile.class)
class ConsoleBrowserTest {
  @Inject DataSource ds;

  @TestHTTPResource("/")
  URL base;

  @Test
  void chromium_rendersLogTrustBundlesAndDecisions(@TempDir Path tmp) {
    Peers.require("chromium");
    String run = UUID.randomUUID().toString().substring(0, 8);
    KeyPair key = TestEntries.p256();
    for (int i = 0; i < 3; i++) {
      given().header("Authorization", "Bearer " + ConsoleProfile.TOKEN).contentType("application/json")
          .body(TestEntries.hashedRekord(key, (run + i).getBytes(StandardCharsets.UTF_8)))
          .post("/api/v1/log/entries").then().statusCode(201);
    }
    long size = given().get("/api/v1/log").then().extract().<Integer>path("treeSize");
    AuditLog audit = new AuditLog(ds);
    audit.append("bundle.import", "operator", "factory-" + run + "/7", "ok", "{}");
    audit.append("bundle.import", "operator", "factory-" + run + "/6", "rejected", "{\"reason\":\"rollback\"}");
    audit.append("admission.decision", "webhook", "shop/allowed-" + run + " Deployment", "allow", "{}");
    audit.append("admission.decision", "webhook", "shop/denied-" + run + " Deployment", "deny", "{}");
    // Audit subjects come from outside: markup in them must stay text.
    audit.append("admission.decision", "webhook", "<img src=x id=injected-" + run + ">", "deny", "{}");

    String link = given().header("Authorization", "Bearer " + ConsoleProfile.TOKEN)
        .post("/api/v1/admin/console-login").then().statusCode(200).extract().path("path");
    String url = base.toString().replaceAll("/$", "") + link;

    Peers.Result r = Peers.peer(tmp, "chromium", "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--user-data-dir=" + tmp.resolve("profile"),
        "--virtual-time-budget=15000", "--dump-dom", url).run().succeeded();
    String dom = r.stdout();

    assertThat(dom).as(r.describe()).contains("data-loaded=\"true\"");
    assertThat(dom).contains("<dd id=\"log-size\">" + size + "</dd>");
    assertThat(dom).containsPattern("<dd id=\"log-root\" class=\"mono\">[0-9a-f]{64}</dd>");
    assertThat(dom).contains("<strong id=\"trust-version\">1</strong>").contains("transparency log");
    assertThat(dom).contains("<td>factory-" + run + "</td><td>7</td><td class=\"ok\">ok</td>");
    assertThat(dom).contains("<td>factory-" + run + "</td><td>6</td><td class=\"rejected\">rejected</td>");
    assertThat(dom).contains("<td>log-key</td><td class=\"UP\">UP</td>");
    int denied = dom.indexOf("shop/denied-" + run);
    int allowed = dom.indexOf("shop/allowed-" + run);
    assertThat(denied).isPositive().isLessThan(allowed);
    assertThat(dom).contains("&lt;img src=x id=injected-" + run + "&gt;")
        .doesNotContain("id=\"injected-" + run);
    // The login code never reaches the page as served, and the address bar dropped it.
    assertThat(dom).doesNotContain(link.substring(link.indexOf('=') + 1));
  }
}
