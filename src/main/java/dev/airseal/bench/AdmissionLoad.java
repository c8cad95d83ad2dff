package dev.airseal.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.oci.Digest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * AdmissionReviews of 3-container pods posted over HTTPS to one or several replicas: one thread per
 * kept-alive connection, each sending its next review when the last one was answered; connection
 * {@code i} talks to replica {@code i mod replicas}, so the load is spread round-robin.
 */
public final class AdmissionLoad {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One replica's webhook: its endpoint and a client that trusts its CA. */
  public record Target(URI validate, HttpClient http) {
    public static Target of(ServiceProcess s) throws IOException {
      return new Target(s.validate(), https(s.webhookCa()));
    }

    /** Whether the replica allowed the review; an HTTP error is an exception. */
    public boolean allows(byte[] review) throws IOException, InterruptedException {
      HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(validate)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(review)).build(), HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200) {
        throw new IOException("HTTP " + r.statusCode() + " from " + validate + ": "
            + new String(r.body(), StandardCharsets.UTF_8));
      }
      return JSON.readTree(r.body()).path("response").path("allowed").asBoolean(false);
    }
  }

  /** Throughput and latencies of one phase, and how many reviews were denied. */
  public record Phase(String name, long nanos, Latencies latency, int denied) {
    public double perSecond() {
      return latency.count() / (nanos / 1e9);
    }

    /** One line: count, time, rate and latencies. */
    public String line() {
      return String.format(Locale.ROOT, "%-28s %7d admissions in %6.2f s  %8.0f/s  p50 %s  p99 %s  p99.9 %s  max %s",
          name, latency.count(), nanos / 1e9, perSecond(), Latencies.millis(latency.p50()),
          Latencies.millis(latency.p99()), Latencies.millis(latency.p999()), Latencies.millis(latency.max()));
    }

    /** Throws if any review was denied: the bench measured something other than admissions. */
    public Phase allAllowed(String seeLog) {
      if (denied > 0) {
        throw new IllegalStateException(name + ": " + denied + " admissions were denied; see " + seeLog);
      }
      return this;
    }
  }

  private final List<Target> targets;
  private final int connections;

  public AdmissionLoad(List<Target> targets, int connections) {
    if (targets.isEmpty() || connections < 1) {
      throw new IllegalArgumentException("admission load needs a replica and a connection");
    }
    this.targets = List.copyOf(targets);
    this.connections = connections;
  }

  /** AdmissionReviews (CREATE) of pods of three containers each, images {@code repo@digest}. */
  public static List<byte[]> pods(String repo, List<Digest> digests) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i + 2 < digests.size(); i += 3) {
      out.add(review(repo, digests.subList(i, i + 3), "pod-" + i));
    }
    return out;
  }

  /** One AdmissionReview of a pod running {@code repo@digest} for each digest. */
  public static byte[] review(String repo, List<Digest> images, String podName) {
    ObjectNode review = JSON.createObjectNode().put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
    ObjectNode r = review.putObject("request");
    r.put("uid", UUID.randomUUID().toString());
    r.putObject("kind").put("group", "").put("version", "v1").put("kind", "Pod");
    r.putObject("resource").put("group", "").put("version", "v1").put("resource", "pods");
    r.put("namespace", "default").put("name", podName).put("operation", "CREATE");
    r.putObject("userInfo").put("username", "bench");
    ObjectNode pod = r.putObject("object").put("apiVersion", "v1").put("kind", "Pod");
    pod.putObject("metadata").put("name", podName).put("namespace", "default");
    ArrayNode cs = pod.putObject("spec").putArray("containers");
    for (int c = 0; c < images.size(); c++) {
      cs.addObject().put("name", "c" + c).put("image", repo + "@" + images.get(c));
    }
    try {
      return JSON.writeValueAsBytes(review);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Each review once, spread over the connections. */
  public Phase fixed(String name, List<byte[]> bodies) {
    return drive(name, bodies, bodies.size(), Duration.ofDays(1));
  }

  /** Reviews round-robin over {@code bodies} until {@code seconds} are over. */
  public Phase timed(String name, List<byte[]> bodies, double seconds) {
    // A count never reached, so the connections still share one round-robin over the bodies.
    return drive(name, bodies, Long.MAX_VALUE - 1, Duration.ofMillis(Math.round(seconds * 1000)));
  }

  private Phase drive(String name, List<byte[]> bodies, long calls, Duration limit) {
    AtomicInteger denied = new AtomicInteger();
    TimedRun.Timed t = TimedRun.calls(connections, calls, limit, (connection, i) -> {
      if (!targets.get(connection % targets.size()).allows(bodies.get((int) (i % bodies.size())))) {
        denied.incrementAndGet();
      }
    }, "bench-admission");
    return new Phase(name, t.nanos(), t.latency(), denied.get());
  }

  /** A client (HTTP/1.1, kept-alive connections) that trusts only the webhook's CA. */
  static HttpClient https(Path ca) throws IOException {
    try {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(ca))));
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(ctx).build();
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot trust the webhook CA " + ca + ": " + e.getMessage(), e);
    }
  }
}
