package dev.airseal.log.rekor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A Rekor v1 client for writers (upload a proposed entry, get back the logged entry) and for
 * carriers of a log's checkpoints (log info, consistency proofs).
 */
public final class RekorClient {
  private final URI base;
  private final Optional<String> token;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final ObjectMapper json = new ObjectMapper();

  /** A logged entry: its UUID and the Rekor v1 entry object. */
  public record LoggedEntry(String uuid, JsonNode entry) {}

  public RekorClient(String baseUrl, Optional<String> token) {
    this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
    this.token = token;
  }

  /**
   * Uploads {@code proposed}; an entry the log already holds (409) is fetched from its Location,
   * as cosign does, so signing the same thing twice is not an error.
   */
  public LoggedEntry upload(JsonNode proposed) throws IOException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve("api/v1/log/entries"))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(proposed)));
    token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
    HttpResponse<String> r = send(b.build());
    if (r.statusCode() == 409) {
      String location = r.headers().firstValue("Location")
          .orElseThrow(() -> new IOException("Rekor answered 409 without a Location"));
      return first(get(location));
    }
    if (r.statusCode() != 201) {
      throw new IOException("Rekor refused the entry: HTTP " + r.statusCode() + ": " + message(r.body()));
    }
    return first(json.readTree(r.body()));
  }

  /** {@code GET /api/v1/log}: tree size, root hash, tree ID and the signed checkpoint ({@code signedTreeHead}). */
  public JsonNode logInfo() throws IOException {
    return get("api/v1/log");
  }

  /** {@code GET /api/v1/log/proof}: the consistency proof from {@code firstSize} to {@code lastSize}. */
  public JsonNode consistencyProof(long firstSize, long lastSize) throws IOException {
    return get("api/v1/log/proof?firstSize=" + firstSize + "&lastSize=" + lastSize);
  }

  private JsonNode get(String path) throws IOException {
    HttpResponse<String> r = send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).GET().build());
    if (r.statusCode() != 200) {
      throw new IOException("GET " + path + ": HTTP " + r.statusCode() + ": " + message(r.body()));
    }
    return json.readTree(r.body());
  }

  private LoggedEntry first(JsonNode entries) throws IOException {
    var it = entries.fields();
    if (!it.hasNext()) {
      throw new IOException("Rekor answered without an entry");
    }
    Map.Entry<String, JsonNode> e = it.next();
    return new LoggedEntry(e.getKey(), e.getValue());
  }

  private String message(String body) {
    try {
      return json.readTree(body).path("message").asText(body);
    } catch (IOException e) {
      return body;
    }
  }

  private HttpResponse<String> send(HttpRequest req) throws IOException {
    try {
      return http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
