package dev.airseal.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A transfer bundle posted to a service's import endpoint, as {@code airseal bundle import} posts it. */
final class BundleUpload {
  private static final ObjectMapper JSON = new ObjectMapper();

  private BundleUpload() {}

  /** The import report; an exception unless the import's outcome was {@code ok}. */
  static JsonNode post(HttpClient http, URI base, HttpRequest.BodyPublisher bundle, Duration timeout)
      throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("api/v1/bundles"))
        .timeout(timeout).POST(bundle).build(), HttpResponse.BodyHandlers.ofString());
    JsonNode report;
    try {
      report = JSON.readTree(r.body());
    } catch (IOException e) {
      throw new IOException("import failed: HTTP " + r.statusCode() + " " + r.body(), e);
    }
    if (r.statusCode() != 200 || !"ok".equals(report.path("outcome").asText())) {
      throw new IOException("import failed: HTTP " + r.statusCode() + " " + report.path("message").asText(r.body()));
    }
    return report;
  }
}
