package dev.airseal.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airseal.oci.ImageReference;
import dev.airseal.peers.LocalRegistry;
import dev.airseal.testing.Peers;
import dev.airseal.testing.ServiceProcess;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bundles that carry an image layer larger than the service's whole heap. Whatever holds a body,
 * a blob or a layer in memory runs the service out of heap here and fails the test; no timing is
 * measured. The layer is made on the fly ({@link PatternLayer}), the bundle is written to disk.
 */
class LargeBundleIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  // The service dies on its first OutOfMemoryError, so a regression fails at once, not by timeout.
  private static final String HEAP = "-Xmx128m";
  private static final long LAYER = 192L << 20;

  // Java's HttpClient defaults to HTTP/2 and, over plain http, asks for an h2c upgrade on the first
  // request; Vert.x then held the whole upload in the heap (the bench's ClosedChannelException).
  @Test
  void upload_largerThanTheHeap_streamsThroughAnH2cUpgradeAttempt(@TempDir Path tmp) throws Exception {
    BundleFixtures fx = new BundleFixtures();
    PatternLayer layer = new PatternLayer(LAYER);
    Path file = bundle(fx, layer, tmp).file();
    HttpClient http = HttpClient.newHttpClient();
    assertThat(http.version()).isEqualTo(HttpClient.Version.HTTP_2);
    try (ServiceProcess svc = service(fx, tmp)) {
      JsonNode report = upload(http, svc, file, "");
      assertThat(report.path("images").get(0).path("accepted").asBoolean()).as(report.toString()).isTrue();
    }
  }

  @Test
  void pushTo_streamsTheCarriedLayerToTheRegistry_andSkopeoReadsTheImage(@TempDir Path tmp) throws Exception {
    Peers.require("docker-registry");
    Peers.require("skopeo");
    BundleFixtures fx = new BundleFixtures();
    PatternLayer layer = new PatternLayer(LAYER);
    Big big = bundle(fx, layer, tmp);
    Path file = big.file();
    ImageReference image = big.image();
    Path regDir = Files.createDirectories(tmp.resolve("registry"));
    try (LocalRegistry registry = LocalRegistry.start(regDir); ServiceProcess svc = service(fx, tmp)) {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      JsonNode report = upload(http, svc, file,
          "?allowHttpRegistry=true&pushTo=" + URLEncoder.encode(registry.host, StandardCharsets.UTF_8));
      assertThat(report.path("images").get(0).path("accepted").asBoolean()).as(report.toString()).isTrue();

      String pushed = "docker://" + registry.host + "/" + image.repository() + "@" + image.digest();
      Peers.Result inspect = Peers.peer(tmp, "skopeo", "inspect", "--tls-verify=false", pushed).run().succeeded();
      JsonNode info = JSON.readTree(inspect.stdout());
      assertThat(info.path("Digest").asText()).isEqualTo(image.digest().toString());
      assertThat(info.path("Layers").get(0).asText()).isEqualTo(layer.digest().toString());
      Peers.peer(tmp, "skopeo", "inspect", "--tls-verify=false",
          "docker://" + registry.host + "/" + image.repository() + ":big").run().succeeded();

      // skopeo copy checks every blob it pulls against its digest; check the layer's bytes too.
      Path out = tmp.resolve("pulled");
      Peers.peer(tmp, "skopeo", "copy", "--src-tls-verify=false", pushed, "dir:" + out).run().succeeded();
      Path pulledLayer = out.resolve(layer.digest().hex());
      assertThat(Files.size(pulledLayer)).isEqualTo(LAYER);
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      try (InputStream in = new DigestInputStream(Files.newInputStream(pulledLayer), md)) {
        in.transferTo(OutputStream.nullOutputStream());
      }
      assertThat("sha256:" + HexFormat.of().formatHex(md.digest())).isEqualTo(layer.digest().toString());
      // Nothing is left in the spool once the import is done.
      try (var left = Files.list(tmp.resolve("data/import-spool"))) {
        assertThat(left).isEmpty();
      }
    }
  }

  private record Big(Path file, ImageReference image) {}

  private static Big bundle(BundleFixtures fx, PatternLayer layer, Path tmp) throws Exception {
    BundleContent c = new BundleContent();
    ImageReference image = fx.evidence.carriedImage(c, "registry.example/team/big", "big", layer.digest(), layer.size(),
        layer::open);
    c.signer(fx.evidence.signerSpec());
    c.trustedRoot(fx.evidence.trustedRoot().toJson(), fx.evidence.trustedRoot().mediaType());
    Path file = tmp.resolve("big.tar");
    fx.buildFile(c, 1, file);
    assertThat(Files.size(file)).isGreaterThan(LAYER);
    return new Big(file, image);
  }

  private static ServiceProcess service(BundleFixtures fx, Path tmp) throws Exception {
    Path pub = Files.writeString(tmp.resolve("transfer.pub"), TransferKey.toPem(fx.transferKey.publicKey()));
    return new ServiceProcess(tmp.resolve("data"), ServiceProcess.freePort())
        .env("AIRSEAL_BUNDLE_TRANSFER_KEYS", fx.producer + "=" + pub.toAbsolutePath())
        .start(HEAP, "-XX:+ExitOnOutOfMemoryError");
  }

  private static JsonNode upload(HttpClient http, ServiceProcess svc, Path file, String query) throws Exception {
    HttpResponse<String> r;
    try {
      r = http.send(HttpRequest.newBuilder(URI.create(svc.url() + "/api/v1/bundles" + query))
          .timeout(Duration.ofMinutes(5))
          .header("Content-Type", "application/octet-stream")
          .POST(HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new AssertionError("upload failed: " + e + "\nservice log:\n" + tail(svc.output()), e);
    }
    assertThat(r.statusCode()).as(() -> r.body() + "\nservice log:\n" + tail(output(svc))).isEqualTo(200);
    JsonNode report = JSON.readTree(r.body());
    assertThat(report.path("outcome").asText()).as(r.body()).isEqualTo("ok");
    return report;
  }

  private static String output(ServiceProcess svc) {
    try {
      return svc.output();
    } catch (java.io.IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static String tail(String log) {
    return log.length() > 6000 ? log.substring(log.length() - 6000) : log;
  }
}
