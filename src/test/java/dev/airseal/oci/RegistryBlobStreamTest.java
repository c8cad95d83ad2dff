package dev.airseal.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link RegistryClient#openBlob}: a layer streamed, after the registry's Basic challenge is answered. */
class RegistryBlobStreamTest {
  private static final byte[] LAYER = "layer bytes ".repeat(10_000).getBytes(StandardCharsets.UTF_8);
  private static final Digest DIGEST = Digest.of(LAYER);
  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private ImageReference start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v2/team/app/blobs/", ex -> {
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      if (auth == null || !auth.startsWith("Basic ")) {
        ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"test\"");
        ex.sendResponseHeaders(401, -1);
      } else if (!ex.getRequestURI().getPath().endsWith(DIGEST.toString())) {
        ex.sendResponseHeaders(404, -1);
      } else if (ex.getRequestMethod().equals("HEAD")) {
        ex.getResponseHeaders().add("Content-Length", Integer.toString(LAYER.length));
        ex.sendResponseHeaders(200, -1);
      } else {
        ex.sendResponseHeaders(200, LAYER.length);
        ex.getResponseBody().write(LAYER);
      }
      ex.close();
    });
    server.start();
    return ImageReference.parse("127.0.0.1:" + server.getAddress().getPort() + "/team/app:1.0");
  }

  private static RegistryClient client() {
    return new RegistryClient(new RegistryOptions(true, false,
        Optional.of(new RegistryOptions.Credentials("user", "secret"))));
  }

  @Test
  void aLayerIsStreamed_withTheCredentialsTheChallengeAskedFor() throws Exception {
    ImageReference repo = start();
    try (InputStream in = client().openBlob(repo, DIGEST)) {
      assertThat(in.readAllBytes()).isEqualTo(LAYER);
    }
  }

  @Test
  void aBlobTheRegistryDoesNotHold_isNamed() throws Exception {
    ImageReference repo = start();
    Digest other = Digest.of("other".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> client().openBlob(repo, other)).isInstanceOf(RegistryException.class)
        .hasMessageContaining("does not hold blob " + other);
  }
}
