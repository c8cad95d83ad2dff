package dev.airseal.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airseal.testing.ServiceProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 while a bundle is being imported: after the restart the import is either wholly there
 * (record, evidence, one evidence version) or not at all, and the retry completes it (or says it
 * already did). The kill lands somewhere in read/verify/log/commit; every outcome must hold.
 */
class BundleImportCrashIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int IMAGES = 600;

  @Test
  void sigkillMidImport_leavesAllOrNothing_andTheRetrySucceeds(@TempDir Path tmp) throws Exception {
    BundleFixtures fx = new BundleFixtures();
    BundleFixtures.Built b = fx.build(fx.content(IMAGES), 1, Optional.empty());
    Path pub = tmp.resolve("transfer.pub");
    Files.writeString(pub, TransferKey.toPem(fx.transferKey.publicKey()));
    Path data = tmp.resolve("data");
    int port = ServiceProcess.freePort();
    HttpClient http = HttpClient.newHttpClient();

    try (ServiceProcess svc = service(data, port, fx.producer, pub)) {
      CompletableFuture<HttpResponse<String>> upload = http.sendAsync(post(svc.url(), b.bytes()),
          HttpResponse.BodyHandlers.ofString());
      Thread.sleep(1500); // well inside a 600-image import (verify, log, commit)
      boolean finishedFirst = upload.isDone();
      svc.kill();
      System.out.println("import finished before the kill: " + finishedFirst);
    }

    try (ServiceProcess svc = service(data, port, fx.producer, pub)) {
      JsonNode before = history(http, svc.url());
      assertThat(before.size()).as("import records after the crash").isLessThanOrEqualTo(1);
      HttpResponse<String> retry = http.send(post(svc.url(), b.bytes()), HttpResponse.BodyHandlers.ofString());
      assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
      String outcome = JSON.readTree(retry.body()).path("outcome").asText();
      assertThat(outcome).isEqualTo(before.isEmpty() ? "ok" : "noop");
      JsonNode after = history(http, svc.url());
      assertThat(after).hasSize(1);
      assertThat(after.get(0).path("images").asInt()).isEqualTo(IMAGES);
    }

    // With the service stopped: exactly one evidence commit happened, and it holds every image.
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:file:" + data.resolve("db/airseal").toAbsolutePath());
    ds.setUser("airseal");
    ds.setPassword("");
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      assertThat(one(s, "SELECT version FROM evidence_state WHERE id = 1")).isEqualTo(1);
      assertThat(one(s, "SELECT COUNT(*) FROM evidence_subject")).isEqualTo(IMAGES);
      assertThat(one(s, "SELECT COUNT(*) FROM transfer_import")).isEqualTo(1);
    }
  }

  private static ServiceProcess service(Path data, int port, String producer, Path pub) throws Exception {
    return new ServiceProcess(data, port)
        .env("AIRSEAL_BUNDLE_TRANSFER_KEYS", producer + "=" + pub.toAbsolutePath())
        .start();
  }

  private static HttpRequest post(String url, byte[] bundle) {
    return HttpRequest.newBuilder(URI.create(url + "/api/v1/bundles"))
        .header("Content-Type", "application/octet-stream")
        .POST(HttpRequest.BodyPublishers.ofByteArray(bundle)).build();
  }

  private static JsonNode history(HttpClient http, String url) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/bundles")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static long one(Statement s, String sql) throws Exception {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
