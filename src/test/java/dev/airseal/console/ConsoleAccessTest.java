package dev.airseal.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;

import dev.airseal.store.AuditLog;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(ConsoleProfile.class)
class ConsoleAccessTest {
  private static final String BEARER = "Bearer " + ConsoleProfile.TOKEN;

  @Inject DataSource ds;

  @Test
  void page_andData_needTheTokenOrASession() {
    given().redirects().follow(false).get("/console")
        .then().statusCode(303).header("Location", endsWith("/console/login"));
    given().get("/console/api/summary").then().statusCode(401);
    given().header("Authorization", "Bearer wrong").get("/console/api/summary").then().statusCode(401);
    given().cookie(ConsoleAccess.COOKIE, "made-up").get("/console/api/summary").then().statusCode(401);
    given().header("Authorization", BEARER).get("/console").then().statusCode(200)
        .header("Content-Security-Policy", containsString("script-src 'self'"))
        .body(containsString("Airseal console"));
    // The login page and the scripts carry no data.
    given().get("/console/login").then().statusCode(200).body(containsString("Write token"));
    given().get("/console/assets/console.js").then().statusCode(200);
    given().get("/console/assets/nope.js").then().statusCode(404);
  }

  @Test
  void token_opensAnHttpOnlySession_thatLogoutEnds() {
    given().contentType("application/json").body("{\"token\":\"wrong\"}").post("/console/session")
        .then().statusCode(401);
    Response r = given().contentType("application/json").body("{\"token\":\"" + ConsoleProfile.TOKEN + "\"}")
        .post("/console/session");
    r.then().statusCode(204);
    String setCookie = r.header("Set-Cookie");
    assertThat(setCookie).contains("HttpOnly").containsIgnoringCase("SameSite=Strict").contains("Path=/console");
    String session = r.cookie(ConsoleAccess.COOKIE);
    given().cookie(ConsoleAccess.COOKIE, session).get("/console/api/summary").then().statusCode(200);
    given().redirects().follow(false).cookie(ConsoleAccess.COOKIE, session).post("/console/logout")
        .then().statusCode(303);
    given().cookie(ConsoleAccess.COOKIE, session).get("/console/api/summary").then().statusCode(401);
  }

  @Test
  void loginCode_needsWriteAccess_andWorksOnce() {
    given().post("/api/v1/admin/console-login").then().statusCode(401);
    String path = given().header("Authorization", BEARER).post("/api/v1/admin/console-login")
        .then().statusCode(200).extract().path("path");
    assertThat(path).startsWith("/console/login#code=");
    String code = path.substring(path.indexOf('=') + 1);
    String body = "{\"code\":\"" + code + "\"}";
    String session = given().contentType("application/json").body(body).post("/console/session")
        .then().statusCode(204).extract().cookie(ConsoleAccess.COOKIE);
    given().cookie(ConsoleAccess.COOKIE, session).get("/console/api/summary").then().statusCode(200);
    given().contentType("application/json").body(body).post("/console/session").then().statusCode(401);
  }

  @Test
  void summary_putsDenialsFirst_andSplitsBundleSubjects() {
    String run = UUID.randomUUID().toString().substring(0, 8);
    AuditLog audit = new AuditLog(ds);
    audit.append("admission.decision", "webhook", "prod/" + run + "-a Pod", "allow", "{}");
    audit.append("admission.decision", "webhook", "prod/" + run + "-b Pod", "deny", "{\"reason\":\"unsigned\"}");
    audit.append("admission.decision", "webhook", "prod/" + run + "-c Pod", "warn", "{}");
    audit.append("admission.decision", "webhook", "prod/" + run + "-d Pod", "allow", "{}");
    audit.append("bundle.import", "operator", "factory-" + run + "/42", "ok", "{}");

    JsonPath s = given().header("Authorization", BEARER).get("/console/api/summary")
        .then().statusCode(200).extract().jsonPath();
    List<String> mine = s.<String>getList("admissions.subject").stream().filter(x -> x.contains(run)).toList();
    assertThat(mine).containsExactly(
        "prod/" + run + "-b Pod", "prod/" + run + "-c Pod", "prod/" + run + "-d Pod", "prod/" + run + "-a Pod");
    List<String> outcomes = s.getList("admissions.outcome");
    assertThat(outcomes).isSortedAccordingTo(
        java.util.Comparator.comparingInt(o -> List.of("deny", "warn", "allow").indexOf(o)));
    assertThat(s.<String>getList("bundles.producer")).contains("factory-" + run);
    assertThat(s.<String>getList("bundles.sequence")).contains("42");
    assertThat(s.getString("log.state")).isEqualTo("open");
    assertThat(s.<String>getList("health.name")).contains("log-key", "database-writable", "trust-root");
    assertThat(s.getInt("trustRoot.currentVersion")).isGreaterThanOrEqualTo(1);
  }
}
