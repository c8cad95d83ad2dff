package dev.airseal.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.admission.WebhookTls;
import dev.airseal.log.rekor.RekorClient;
import dev.airseal.oci.Digest;
import dev.airseal.oci.ImageReference;
import dev.airseal.oci.Manifest;
import dev.airseal.signing.SignatureAlgorithm;
import dev.airseal.signing.Signer;
import dev.airseal.signing.cosign.Annotations;
import dev.airseal.signing.cosign.ImageSigner;
import dev.airseal.signing.cosign.RekorBundleAnnotation;
import dev.airseal.signing.cosign.SignatureManifest;
import dev.airseal.signing.cosign.SimpleSigning;
import dev.airseal.signing.soft.KeyFiles;
import dev.airseal.signing.soft.KeyGeneration;
import dev.airseal.signing.soft.SoftwareSigner;
import dev.airseal.store.EvidenceBatch;
import dev.airseal.store.EvidenceStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.h2.jdbcx.JdbcDataSource;

/**
 * {@code bench admission}: AdmissionReviews of pods with 3 containers posted over HTTPS (kept-alive
 * connections, one request at a time each) to the packaged service in a child process. Images are
 * signed with a software key, their signatures logged in the service's own log and filed in its
 * evidence store; the policy requires that key. Warm: the same pods again and again (verdicts
 * cached). Cold: every pod has 3 images never seen before, so each admission reads the store and
 * verifies 3 signatures with their log evidence in full.
 */
public final class AdmissionBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String REPO = "bench.local/team/app";

  public record Options(
      Path dir, boolean keep, Path jar, List<String> jvmOptions, int connections, int warmPods, double warmSeconds,
      double warmupSeconds, int coldPods, int coldConnections, String driver) {}

  /** Latency percentiles and throughput of one phase. */
  public record Phase(String name, int requests, long nanos, long p50, long p99, long p999, long max, int denied) {

    double perSecond() {
      return requests / (nanos / 1e9);
    }
  }

  private final Options o;
  private final PrintStream out;

  public AdmissionBench(Options o, PrintStream out) {
    this.o = o;
    this.out = out;
  }

  public List<Figure> run() throws Exception {
    Path data = o.dir().resolve("service");
    Path policies = Files.createDirectories(o.dir().resolve("policies"));
    Signer key = new SoftwareSigner(KeyGeneration.generate(SignatureAlgorithm.PKIX_ECDSA_P256_SHA_256),
        SignatureAlgorithm.PKIX_ECDSA_P256_SHA_256);
    Files.writeString(policies.resolve("bench.yaml"), policy(key));
    int sslPort = freePort();
    Map<String, String> props = new LinkedHashMap<>();
    props.put("quarkus.http.ssl-port", Integer.toString(sslPort));
    props.put("airseal.policy.dir", policies.toAbsolutePath().toString());
    // The bench files evidence into the service's database while it runs: H2's automatic mixed
    // mode lets this process in through the service's own TCP endpoint.
    String url = "jdbc:h2:file:" + data.toAbsolutePath() + "/db/airseal;AUTO_SERVER=TRUE";
    props.put("quarkus.datasource.h2.jdbc.url", url);
    Path jar = o.jar() != null ? o.jar() : Path.of("target/quarkus-app/quarkus-run.jar");
    Optional<Path> wrk = switch (o.driver()) {
      case "java" -> Optional.empty();
      case "wrk" -> Optional.of(WrkDriver.find().orElseThrow(
          () -> new IllegalStateException("--driver wrk: no wrk on the PATH (apt-get install wrk)")));
      case "auto" -> WrkDriver.find();
      default -> throw new IllegalArgumentException("--driver must be wrk, java or auto, not " + o.driver());
    };
    out.printf(Locale.ROOT, "service: %s, %d cores; warm: %d connections (%s), cold: %d connection(s) (java.net.http),"
        + " HTTPS keep-alive, one request in flight per connection%n", jar, Runtime.getRuntime().availableProcessors(),
        o.connections(), wrk.map(w -> "wrk " + w).orElse("java.net.http"), o.coldConnections());
    try (ServiceProcess svc = ServiceProcess.start(jar, data, o.jvmOptions(), props)) {
      out.printf(Locale.ROOT, "service ready in %d ms (pid %d)%n", svc.readyMillis(), svc.pid());
      JdbcDataSource ds = new JdbcDataSource();
      ds.setURL(url);
      ds.setUser("airseal");
      ds.setPassword("");
      EvidenceStore store = new EvidenceStore(ds);
      RekorClient rekor = new RekorClient(svc.base().toString().replaceAll("/$", ""), Optional.empty());
      int images = (o.warmPods() + o.coldPods()) * 3;
      long t0 = System.nanoTime();
      List<Digest> digests = signAll(key, rekor, store, images);
      out.printf(Locale.ROOT, "signed and stored %d images (logged in the service's log) in %.1f s%n", images,
          (System.nanoTime() - t0) / 1e9);
      HttpClient https = client(data.resolve("tls").resolve(WebhookTls.CA_CERT));
      URI validate = URI.create("https://localhost:" + sslPort + "/validate");
      List<byte[]> warm = pods(digests.subList(0, o.warmPods() * 3));
      List<byte[]> cold = pods(digests.subList(o.warmPods() * 3, digests.size()));
      // First pass: verifies every warm pod once and fills the cache; then untimed load, then timed.
      fixed("warm-fill", https, validate, warm, o.connections());
      Phase w;
      if (wrk.isPresent()) {
        String base = "https://localhost:" + sslPort;
        WrkDriver.run(wrk.get(), "warm-up", o.dir(), base, "/validate", warm, o.connections(), o.warmupSeconds());
        w = WrkDriver.run(wrk.get(), "warm (cached verdicts)", o.dir(), base, "/validate", warm, o.connections(),
            o.warmSeconds());
      } else {
        timed("warm-up", https, validate, warm, o.warmupSeconds());
        w = timed("warm (cached verdicts)", https, validate, warm, o.warmSeconds());
      }
      Phase c = fixed("cold (full verification)", https, validate, cold, o.coldConnections());
      out.println();
      for (Phase p : List.of(w, c)) {
        out.printf(Locale.ROOT, "%-28s %7d admissions in %6.2f s  %8.0f/s  p50 %s  p99 %s  p99.9 %s  max %s%n", p.name(),
            p.requests(), p.nanos() / 1e9, p.perSecond(), ms(p.p50()), ms(p.p99()), ms(p.p999()), ms(p.max()));
        if (p.denied() > 0) {
          throw new IllegalStateException(p.name() + ": " + p.denied() + " admissions were denied; see " + data.resolve("service.log"));
        }
      }
      out.println();
      List<Figure> figures = List.of(
          Figure.atMost("warm admission p99 (3 containers)", w.p99() / 1e6, "ms", 2),
          Figure.atLeast("warm admissions/s", w.perSecond(), "1/s", 5000),
          Figure.atMost("cold admission p99 (3 signatures verified)", c.p99() / 1e6, "ms", 20));
      figures.forEach(f -> out.println(f.line()));
      return figures;
    } finally {
      if (!o.keep()) {
        deleteTree(o.dir());
      }
    }
  }

  private String policy(Signer key) throws IOException {
    StringBuilder pem = new StringBuilder();
    for (String l : KeyFiles.publicKeyPem(key.publicKey()).strip().split("\n")) {
      pem.append("                ").append(l).append('\n');
    }
    return "apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n  name: bench\nspec:\n"
        + "  validationFailureAction: Enforce\n  webhookTimeoutSeconds: 10\n  rules:\n  - name: signed\n"
        + "    match:\n      any:\n      - resources:\n          kinds: [Pod]\n    verifyImages:\n"
        + "    - imageReferences: [\"" + REPO + "*\"]\n      mutateDigest: false\n      verifyDigest: true\n"
        + "      attestors:\n      - entries:\n        - keys:\n            publicKeys: |-\n" + pem;
  }

  // cosign sign's output for each image, as ImageSigner makes it (payload, signature, Rekor
  // hashedrekord entry with its SET), filed in the evidence store in batches.
  private static List<Digest> signAll(Signer key, RekorClient rekor, EvidenceStore store, int n) throws Exception {
    ImageReference repo = ImageReference.parse(REPO + ":x");
    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<Future<EvidenceBatch>> parts = new ArrayList<>();
    List<Digest> digests = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Digest d = Digest.of(("bench image " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8));
      digests.add(d);
      parts.add(pool.submit(() -> {
        byte[] payload = SimpleSigning.payload(repo.withDigest(d), d, Map.of());
        byte[] sig = key.sign(payload);
        Map<String, String> ann = new LinkedHashMap<>();
        ann.put(Annotations.SIGNATURE, Base64.getEncoder().encodeToString(sig));
        ann.put(Annotations.BUNDLE, RekorBundleAnnotation.from(rekor.upload(ImageSigner.hashedRekord(key, payload, sig)).entry()));
        SignatureManifest m = SignatureManifest.empty();
        SignatureManifest.Layer layer = SignatureManifest.Layer.of(SimpleSigning.MEDIA_TYPE, payload, ann);
        m.add(layer);
        EvidenceBatch b = new EvidenceBatch();
        b.blob(SimpleSigning.MEDIA_TYPE, payload);
        Digest man = b.blob(Manifest.OCI_MANIFEST, m.manifest(m.config()));
        return b.tag(repo.context(), d.cosignTagPrefix() + ".sig", man).subject(repo.context(), d);
      }));
    }
    EvidenceBatch batch = new EvidenceBatch();
    int inBatch = 0;
    for (Future<EvidenceBatch> f : parts) {
      EvidenceBatch one = f.get();
      for (EvidenceBatch.Blob bl : one.blobs()) {
        batch.blob(bl.mediaType(), bl.content());
      }
      for (EvidenceBatch.Tag t : one.tags()) {
        batch.tag(t.repository(), t.tag(), t.digest());
      }
      for (EvidenceBatch.Subject sub : one.subjects()) {
        batch.subject(sub.repository(), sub.digest());
      }
      if (++inBatch == 500) {
        store.commit(batch);
        batch = new EvidenceBatch();
        inBatch = 0;
      }
    }
    pool.shutdown();
    if (!batch.isEmpty()) {
      store.commit(batch);
    }
    return digests;
  }

  private static List<byte[]> pods(List<Digest> digests) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i + 2 < digests.size(); i += 3) {
      ObjectNode review = JSON.createObjectNode().put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
      ObjectNode r = review.putObject("request");
      r.put("uid", UUID.randomUUID().toString());
      r.putObject("kind").put("group", "").put("version", "v1").put("kind", "Pod");
      r.putObject("resource").put("group", "").put("version", "v1").put("resource", "pods");
      r.put("namespace", "default").put("name", "pod-" + i).put("operation", "CREATE");
      r.putObject("userInfo").put("username", "bench");
      ObjectNode pod = r.putObject("object").put("apiVersion", "v1").put("kind", "Pod");
      pod.putObject("metadata").put("name", "pod-" + i).put("namespace", "default");
      ArrayNode cs = pod.putObject("spec").putArray("containers");
      for (int c = 0; c < 3; c++) {
        cs.addObject().put("name", "c" + c).put("image", REPO + "@" + digests.get(i + c));
      }
      try {
        out.add(JSON.writeValueAsBytes(review));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return out;
  }

  /** Each request once, spread over the connections. */
  private Phase fixed(String name, HttpClient http, URI uri, List<byte[]> bodies, int connections)
      throws InterruptedException {
    return drive(name, http, uri, bodies, bodies.size(), Long.MAX_VALUE, connections);
  }

  /** Requests round-robin over {@code bodies} until {@code seconds} are over. */
  private Phase timed(String name, HttpClient http, URI uri, List<byte[]> bodies, double seconds)
      throws InterruptedException {
    return drive(name, http, uri, bodies, Integer.MAX_VALUE, System.nanoTime() + Math.round(seconds * 1e9),
        o.connections());
  }

  // One thread per connection, each sending its next request when the last one answered.
  private Phase drive(String name, HttpClient http, URI uri, List<byte[]> bodies, int limit, long until, int n)
      throws InterruptedException {
    long[][] lat = new long[n][];
    int[] counts = new int[n];
    AtomicInteger next = new AtomicInteger();
    AtomicInteger denied = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> ts = new ArrayList<>();
    long start = System.nanoTime();
    for (int t = 0; t < n; t++) {
      int me = t;
      Thread th = new Thread(() -> {
        long[] mine = new long[1024];
        int c = 0;
        for (int i; failure.get() == null && (i = next.getAndIncrement()) < limit && System.nanoTime() < until; ) {
          long t0 = System.nanoTime();
          try {
            if (!post(http, uri, bodies.get(i % bodies.size()))) {
              denied.incrementAndGet();
            }
          } catch (Exception e) {
            failure.compareAndSet(null, e);
          }
          if (c == mine.length) {
            mine = Arrays.copyOf(mine, c * 2);
          }
          mine[c++] = System.nanoTime() - t0;
        }
        lat[me] = mine;
        counts[me] = c;
      }, "bench-admission-" + t);
      ts.add(th);
      th.start();
    }
    for (Thread th : ts) {
      th.join();
    }
    long elapsed = System.nanoTime() - start;
    if (failure.get() != null) {
      throw new IllegalStateException(name + " failed: " + failure.get(), failure.get());
    }
    long[] all = new long[Arrays.stream(counts).sum()];
    int at = 0;
    for (int t = 0; t < n; t++) {
      System.arraycopy(lat[t], 0, all, at, counts[t]);
      at += counts[t];
    }
    return phase(name, all, elapsed, denied.get());
  }

  private static Phase phase(String name, long[] lat, long nanos, int denied) {
    long[] s = lat.clone();
    Arrays.sort(s);
    return new Phase(name, s.length, nanos, at(s, 0.50), at(s, 0.99), at(s, 0.999), s[s.length - 1], denied);
  }

  private static long at(long[] sorted, double q) {
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  private static boolean post(HttpClient http, URI uri, byte[] body) throws IOException, InterruptedException {
    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      throw new IOException("HTTP " + r.statusCode() + ": " + new String(r.body(), StandardCharsets.UTF_8));
    }
    return JSON.readTree(r.body()).path("response").path("allowed").asBoolean(false);
  }

  private static HttpClient client(Path ca) throws Exception {
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(ca))));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(ctx).build();
  }

  private static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (var s = Files.walk(p)) {
      for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(x);
      }
    }
  }
}
