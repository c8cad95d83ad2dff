package dev.airseal.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airseal.testing.ServiceProcess;
import dev.airseal.testing.TestEntries;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code serve} process, given a PKCS#11 PIN, a cosign key password and a write token
 * in its environment, writes none of them to its output: not at start-up, not on refused or
 * accepted writes, not with DEBUG logging and the access log on.
 */
class ServeSecretsIT {
  private static final String PIN = "pin-" + UUID.randomUUID();
  private static final String PASSWORD = "pw-" + UUID.randomUUID();
  private static final String TOKEN = "tok-" + UUID.randomUUID();

  @Test
  void serve_logsNoSecretFromItsEnvironment(@TempDir Path tmp) throws Exception {
    KeyPair key = TestEntries.p256();
    HttpClient http = HttpClient.newHttpClient();
    ServiceProcess svc =
        new ServiceProcess(tmp.resolve("data"), ServiceProcess.freePort())
            .env("AIRSEAL_PKCS11_PIN", PIN)
            .env("COSIGN_PASSWORD", PASSWORD)
            .env("AIRSEAL_API_WRITE_TOKEN", TOKEN);
    try (svc) {
      svc.start(
          "-Dquarkus.log.category.\"dev.airseal\".level=DEBUG",
          "-Dquarkus.http.access-log.enabled=true");
      String[] tokens = {TOKEN + "x", TOKEN, TOKEN, TOKEN};
      int[] expected = {401, 201, 201, 201};
      for (int i = 0; i < tokens.length; i++) {
        String entry =
            TestEntries.hashedRekord(key, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(svc.url() + "/api/v1/log/entries"))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + tokens[i])
                    .POST(HttpRequest.BodyPublishers.ofString(entry))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(expected[i]);
      }
      http.send(
          HttpRequest.newBuilder(URI.create(svc.url() + "/q/metrics")).build(),
          HttpResponse.BodyHandlers.ofString());
    }
    String output = svc.output();
    assertThat(output).contains("POST /api/v1/log/entries").contains("open at size");
    assertThat(output).doesNotContain(PIN).doesNotContain(PASSWORD).doesNotContain(TOKEN);
  }
}
