package dev.airseal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** The CLI's view of a running log: plain HTTP reads of the Rekor v1 API. */
final class LogClient {
  private final URI base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final ObjectMapper json = new ObjectMapper();

  LogClient(String baseUrl) {
    this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
  }

  JsonNode getJson(String path) throws IOException {
    return json.readTree(get(path));
  }

  String get(String path) throws IOException {
    return new String(getBytes(path), StandardCharsets.UTF_8);
  }

  /** GETs {@code path} as bytes (archives, metadata served byte for byte). */
  byte[] getBytes(String path) throws IOException {
    return send("GET", path, HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60)).GET());
  }

  /** POSTs JSON with the write token from AIRSEAL_API_WRITE_TOKEN; returns the 2xx body. */
  String post(String path, String body) throws IOException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .header("X-Airseal-Actor", System.getProperty("user.name", "cli"))
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    String token = System.getenv("AIRSEAL_API_WRITE_TOKEN");
    if (token != null && !token.isEmpty()) {
      b.header("Authorization", "Bearer " + token);
    }
    return new String(send("POST", path, b), StandardCharsets.UTF_8);
  }

  // Any 2xx is the answer; anything else becomes an error carrying the service's message.
  private byte[] send(String method, String path, HttpRequest.Builder req) throws IOException {
    try {
      HttpResponse<byte[]> r = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() / 100 != 2) {
        String body = new String(r.body(), StandardCharsets.UTF_8);
        String msg = body;
        try {
          msg = json.readTree(body).path("message").asText(body);
        } catch (IOException ignored) {
          // not JSON: show the body as it came
        }
        throw new IOException(method + " " + path + ": HTTP " + r.statusCode() + ": " + msg.strip());
      }
      return r.body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** The pinned key when given, else the key the server publishes (trust on first use). */
  PublicKey logKey(Path pinned, String treeId) throws IOException {
    String pem =
        pinned != null
            ? Files.readString(pinned, StandardCharsets.US_ASCII)
            : get("api/v1/log/publicKey?treeID=" + treeId);
    return parsePublicKey(pem);
  }

  static PublicKey parsePublicKey(String pem) throws IOException {
    try (PEMParser p = new PEMParser(new StringReader(pem))) {
      Object o = p.readObject();
      if (!(o instanceof SubjectPublicKeyInfo spki)) {
        throw new IOException("not a PEM public key");
      }
      return new JcaPEMKeyConverter().getPublicKey(spki);
    }
  }

  ObjectMapper json() {
    return json;
  }
}
