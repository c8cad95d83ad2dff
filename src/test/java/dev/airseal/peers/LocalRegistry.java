package dev.airseal.peers;

import dev.airseal.log.Hex;
import dev.airseal.log.Rfc6962;
import dev.airseal.testing.Peers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * A Distribution v2 registry ({@code docker-registry serve}) on loopback, storing under a temp dir,
 * and an OCI image pushed to it through the registry HTTP API. Images are built by hand (one tar
 * layer, a config, a manifest) so their digests depend only on their content.
 */
public final class LocalRegistry implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).connectTimeout(Duration.ofSeconds(5)).build();

  private final Process process;
  private final Path dir;
  public final String host;

  private LocalRegistry(Process process, Path dir, String host) {
    this.process = process;
    this.dir = dir;
    this.host = host;
  }

  public static LocalRegistry start(Path dir) throws Exception {
    int port = Peers.freePort();
    String host = "127.0.0.1:" + port;
    Path config = Files.writeString(dir.resolve("registry.yml"), String.join("\n",
        "version: 0.1",
        "log:",
        "  level: warn",
        "storage:",
        "  filesystem:",
        "    rootdirectory: " + dir.resolve("storage"),
        "  delete:",
        "    enabled: true",
        "http:",
        "  addr: " + host,
        ""));
    Process p = Peers.peer(dir, "docker-registry", "serve", config.toString()).start("registry");
    LocalRegistry r = new LocalRegistry(p, dir, host);
    r.awaitUp();
    return r;
  }

  private void awaitUp() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("docker-registry exited " + process.exitValue() + ": " + log());
      }
      try {
        if (HTTP.send(HttpRequest.newBuilder(uri("/v2/")).build(), HttpResponse.BodyHandlers.discarding())
            .statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("docker-registry did not answer on " + host + ": " + log());
  }

  String log() throws IOException {
    Path err = dir.resolve("registry.err");
    return Files.exists(err) ? Files.readString(err) : "";
  }

  private URI uri(String path) {
    return URI.create("http://" + host + path);
  }

  /**
   * Pushes a one-layer image holding a file named {@code name} with {@code content} to
   * {@code repo:tag}; returns {@code host/repo@sha256:…}.
   */
  public String pushImage(String repo, String tag, String name, byte[] content) throws Exception {
    byte[] layer = tar(name, content);
    String layerDigest = "sha256:" + Hex.encode(Rfc6962.sha256(layer));
    byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
        + layerDigest + "\"]}}").getBytes(StandardCharsets.UTF_8);
    String configDigest = pushBlob(repo, config);
    pushBlob(repo, layer);
    byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
        + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest
        + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\","
        + "\"digest\":\"" + layerDigest + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
    String digest = "sha256:" + Hex.encode(Rfc6962.sha256(manifest));
    HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(uri("/v2/" + repo + "/manifests/" + tag))
        .header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)).build(), HttpResponse.BodyHandlers.ofString());
    check(put, 201, "PUT manifest");
    if (!digest.equals(put.headers().firstValue("Docker-Content-Digest").orElse(""))) {
      throw new IllegalStateException("registry digests the manifest as "
          + put.headers().firstValue("Docker-Content-Digest") + ", we as " + digest);
    }
    return host + "/" + repo + "@" + digest;
  }

  private String pushBlob(String repo, byte[] blob) throws Exception {
    String digest = "sha256:" + Hex.encode(Rfc6962.sha256(blob));
    HttpResponse<String> start = HTTP.send(HttpRequest.newBuilder(uri("/v2/" + repo + "/blobs/uploads/"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    check(start, 202, "POST blob upload");
    String location = start.headers().firstValue("Location").orElseThrow();
    URI upload = location.startsWith("http") ? URI.create(location) : uri(location);
    String sep = upload.getQuery() == null ? "?" : "&";
    HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(upload + sep + "digest=" + digest))
        .header("Content-Type", "application/octet-stream")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(blob)).build(), HttpResponse.BodyHandlers.ofString());
    check(put, 201, "PUT blob " + digest);
    return digest;
  }

  private static void check(HttpResponse<String> r, int expected, String what) {
    if (r.statusCode() != expected) {
      throw new IllegalStateException(what + ": HTTP " + r.statusCode() + " " + r.body());
    }
  }

  /** A POSIX ustar archive holding one regular file, with fixed owner, mode and mtime. */
  static byte[] tar(String name, byte[] content) {
    byte[] h = new byte[512];
    put(h, 0, name);
    put(h, 100, "0000644");
    put(h, 108, "0000000");
    put(h, 116, "0000000");
    put(h, 124, String.format("%011o", content.length));
    put(h, 136, "00000000000");
    Arrays.fill(h, 148, 156, (byte) ' ');
    h[156] = '0';
    put(h, 257, "ustar");
    put(h, 263, "00");
    int sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    put(h, 148, String.format("%06o", sum));
    h[154] = 0;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(h);
    out.writeBytes(content);
    out.writeBytes(new byte[(512 - content.length % 512) % 512]);
    out.writeBytes(new byte[1024]);
    return out.toByteArray();
  }

  private static void put(byte[] header, int offset, String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, header, offset, b.length);
  }

  @Override
  public void close() throws InterruptedException {
    Peers.stop(process);
  }
}
