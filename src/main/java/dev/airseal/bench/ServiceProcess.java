package dev.airseal.bench;

import dev.airseal.config.ShippedJvmOptions;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged service ({@code java -jar quarkus-run.jar serve}) in a child process. */
public final class ServiceProcess implements AutoCloseable {
  private final Process process;
  private final URI base;
  private final Path dataDir;
  private final int sslPort;
  private final Path logFile;
  private final long readyMillis;

  private ServiceProcess(
      Process process, URI base, Path dataDir, int sslPort, Path logFile, long readyMillis) {
    this.process = process;
    this.base = base;
    this.dataDir = dataDir;
    this.sslPort = sslPort;
    this.logFile = logFile;
    this.readyMillis = readyMillis;
  }

  /** Starts the service on a free port with its data under {@code dataDir}; waits until ready. */
  public static ServiceProcess start(
      Path jar, Path dataDir, List<String> jvmOptions, Map<String, String> properties)
      throws IOException {
    return start(List.of(), jar, dataDir, jvmOptions, properties);
  }

  /** As {@link #start}, the command run through {@code launcher} (e.g. {@code taskset -c 0}). */
  public static ServiceProcess start(
      List<String> launcher, Path jar, Path dataDir, List<String> jvmOptions, Map<String, String> properties)
      throws IOException {
    int port = freePort();
    List<String> cmd = new ArrayList<>(launcher);
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // Run as shipped; a bench's own options come after, so they win (the last of a flag does).
    cmd.addAll(ShippedJvmOptions.OPTIONS);
    cmd.addAll(jvmOptions);
    cmd.add("-Dairseal.data-dir=" + dataDir.toAbsolutePath());
    cmd.add("-Dquarkus.http.port=" + port);
    cmd.add("-Dquarkus.http.host=127.0.0.1");
    // The webhook's HTTPS port too: two services on one host must not both take 8443.
    String ssl = properties.get("quarkus.http.ssl-port");
    int sslPort = ssl != null ? Integer.parseInt(ssl) : freePort();
    if (ssl == null) {
      cmd.add("-Dquarkus.http.ssl-port=" + sslPort);
    }
    // Where a replica on a shared PostgreSQL is reached by the others (unused on H2).
    cmd.add("-Dairseal.cluster.advertised-url=http://127.0.0.1:" + port);
    properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    cmd.add("-jar");
    cmd.add(jar.toAbsolutePath().toString());
    cmd.add("serve");
    Files.createDirectories(dataDir);
    Path log = dataDir.resolve("service.log");
    long t0 = System.nanoTime();
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    URI base = URI.create("http://127.0.0.1:" + port + "/");
    ServiceProcess s = new ServiceProcess(p, base, dataDir, sslPort, log, 0);
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (true) {
      if (!p.isAlive()) {
        throw new IOException(
            "the service exited with " + p.exitValue() + " before it was ready:\n" + s.logTail());
      }
      if (ready(base)) {
        return new ServiceProcess(
            p, base, dataDir, sslPort, log, (System.nanoTime() - t0) / 1_000_000);
      }
      if (System.nanoTime() > deadline) {
        s.close();
        throw new IOException("the service was not ready within 90 s:\n" + s.logTail());
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        s.close();
        throw new IOException("interrupted", e);
      }
    }
  }

  private static boolean ready(URI base) {
    try {
      HttpURLConnection c =
          (HttpURLConnection) base.resolve("q/health/ready").toURL().openConnection();
      c.setConnectTimeout(500);
      c.setReadTimeout(2000);
      try {
        return c.getResponseCode() == 200;
      } finally {
        c.disconnect();
      }
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  public URI base() {
    return base;
  }

  /** The webhook's admission endpoint (HTTPS, certificate from {@link #webhookCa()}). */
  public URI validate() {
    return URI.create("https://localhost:" + sslPort + "/validate");
  }

  /** The CA certificate the service made for its webhook listener. */
  public Path webhookCa() {
    return dataDir.resolve("tls").resolve(dev.airseal.admission.WebhookTls.CA_CERT);
  }

  public long pid() {
    return process.pid();
  }

  public long readyMillis() {
    return readyMillis;
  }

  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Stops the service (SIGTERM, so it drains its queue), killing it if it does not stop in 30 s. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
