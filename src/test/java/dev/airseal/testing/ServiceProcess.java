package dev.airseal.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The packaged service run as a separate process, as an operator runs it. */
public final class ServiceProcess implements AutoCloseable {
  private final Path dataDir;
  private final int port;
  private final Path log;
  private final java.util.Map<String, String> env = new java.util.HashMap<>();
  private Process process;

  /** Environment for the service process (secrets belong here, not on its command line). */
  public ServiceProcess env(String name, String value) {
    env.put(name, value);
    return this;
  }

  public ServiceProcess(Path dataDir, int port) {
    this.dataDir = dataDir;
    this.port = port;
    this.log = dataDir.resolveSibling(dataDir.getFileName() + "-" + port + ".log");
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  public static Path jar() {
    Path jar = Path.of(System.getProperty("app.dir", "target/quarkus-app"), "quarkus-run.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: run the packaged-jar tests with mvn verify");
    }
    return jar;
  }

  public ServiceProcess start(String... extraProperties) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx512m"));
    cmd.add("-Dairseal.data-dir=" + dataDir.toAbsolutePath());
    cmd.add("-Dquarkus.http.port=" + port);
    // The webhook's HTTPS port too: two services on one host must not both take 8443.
    if (List.of(extraProperties).stream().noneMatch(p -> p.startsWith("-Dquarkus.http.ssl-port="))) {
      cmd.add("-Dquarkus.http.ssl-port=" + freePort());
    }
    cmd.addAll(List.of(extraProperties));
    cmd.addAll(List.of("-jar", jar().toString(), "serve"));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(env);
    process =
        pb.redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    awaitReady(Duration.ofSeconds(60));
    return this;
  }

  private void awaitReady(Duration timeout) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("service exited: " + Files.readString(log));
      }
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(url() + "/q/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // listener not up yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("service not ready in " + timeout + ": " + Files.readString(log));
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  public String output() throws IOException {
    return Files.readString(log);
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        kill();
      }
    }
  }
}
