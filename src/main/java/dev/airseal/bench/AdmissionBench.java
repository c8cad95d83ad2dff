package dev.airseal.bench;

import dev.airseal.log.rekor.RekorClient;
import dev.airseal.oci.Digest;
import dev.airseal.signing.SignatureAlgorithm;
import dev.airseal.signing.Signer;
import dev.airseal.signing.soft.KeyGeneration;
import dev.airseal.signing.soft.SoftwareSigner;
import dev.airseal.store.EvidenceStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.h2.jdbcx.JdbcDataSource;

/**
 * {@code bench admission}: AdmissionReviews of pods with 3 containers posted over HTTPS (kept-alive
 * connections, one request at a time each) to the packaged service in a child process. Images are
 * signed with a software key, their signatures logged in the service's own log and filed in its
 * evidence store; the policy requires that key. Warm: the same pods again and again (verdicts
 * cached). Cold: every pod has 3 images never seen before, so each admission reads the store and
 * verifies 3 signatures with their log evidence in full; a first set of such pods runs (and is
 * printed) before the measured one, as the warm phases have their warm-up.
 */
public final class AdmissionBench {
  public record Options(
      Path dir, boolean keep, Path jar, List<String> jvmOptions, int connections, int warmPods, double warmSeconds,
      double warmupSeconds, int coldPods, int coldConnections, String driver, int rate, String serviceCpus,
      String driverCpus) {}

  // Connections of the paced phase: idle most of the time, enough to carry the rate through a
  // young pause (5,000/s x 5 ms = 25 requests in flight).
  private static final int PACED_CONNECTIONS = 32;

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
    Files.writeString(policies.resolve("bench.yaml"), AdmissionEvidence.policy(key));
    Map<String, String> props = new LinkedHashMap<>();
    props.put("airseal.policy.dir", policies.toAbsolutePath().toString());
    // The bench files evidence into the service's database while it runs: H2's automatic mixed
    // mode lets this process in through the service's own TCP endpoint.
    String url = h2Url(data);
    props.put("quarkus.datasource.h2.jdbc.url", url);
    Path jar = o.jar() != null ? o.jar() : Path.of("target/quarkus-app/quarkus-run.jar");
    Optional<Path> wrk = switch (o.driver()) {
      case "java" -> Optional.empty();
      case "wrk" -> Optional.of(WrkDriver.find().orElseThrow(
          () -> new IllegalStateException("--driver wrk: no wrk on the PATH (apt-get install wrk)")));
      case "auto" -> WrkDriver.find();
      default -> throw new IllegalArgumentException("--driver must be wrk, java or auto, not " + o.driver());
    };
    Machine.describe(out);
    out.printf(Locale.ROOT, "service: %s, %d cores; warm: %d connections (%s), cold: %d connection(s) (java.net.http),"
        + " HTTPS keep-alive, one request in flight per connection%n", jar, Runtime.getRuntime().availableProcessors(),
        o.connections(), wrk.map(w -> "wrk " + w).orElse("java.net.http"), o.coldConnections());
    // Pinned (taskset), the generator and the service stop taking each other's cores: what is
    // left of the tail is the service's own.
    List<String> svcLauncher = o.serviceCpus() == null ? List.of() : List.of("taskset", "-c", o.serviceCpus());
    List<String> wrkLauncher = o.driverCpus() == null ? List.of() : List.of("taskset", "-c", o.driverCpus());
    if (o.serviceCpus() != null || o.driverCpus() != null) {
      out.printf(Locale.ROOT, "pinned: service to CPUs %s, wrk to CPUs %s%n",
          o.serviceCpus() == null ? "(any)" : o.serviceCpus(), o.driverCpus() == null ? "(any)" : o.driverCpus());
    }
    try (ServiceProcess svc = ServiceProcess.start(svcLauncher, jar, data, o.jvmOptions(), props)) {
      out.printf(Locale.ROOT, "service ready in %d ms (pid %d)%n", svc.readyMillis(), svc.pid());
      EvidenceStore store = new EvidenceStore(h2(url));
      RekorClient rekor = new RekorClient(svc.base().toString().replaceAll("/$", ""), Optional.empty());
      // Cold pods twice over: a first set right after the warm phases, while the verification paths
      // are still being compiled, then the measured set (docs/admission.md, Performance).
      int images = (o.warmPods() + 2 * o.coldPods()) * 3;
      long t0 = System.nanoTime();
      List<Digest> digests = AdmissionEvidence.signAll(key, rekor, store, images);
      out.printf(Locale.ROOT, "signed and stored %d images (logged in the service's log) in %.1f s%n", images,
          (System.nanoTime() - t0) / 1e9);
      AdmissionLoad.Target target = AdmissionLoad.Target.of(svc);
      AdmissionLoad load = new AdmissionLoad(List.of(target), o.connections());
      List<byte[]> warm = AdmissionLoad.pods(AdmissionEvidence.REPO, digests.subList(0, o.warmPods() * 3));
      int coldFrom = o.warmPods() * 3;
      List<byte[]> coldFirst =
          AdmissionLoad.pods(AdmissionEvidence.REPO, digests.subList(coldFrom, coldFrom + o.coldPods() * 3));
      List<byte[]> cold = AdmissionLoad.pods(AdmissionEvidence.REPO, digests.subList(coldFrom + o.coldPods() * 3, digests.size()));
      // First pass: verifies every warm pod once and fills the cache; then untimed load, then timed.
      load.fixed("warm-fill", warm);
      AdmissionLoad.Phase w;
      java.util.function.LongSupplier cpu = () -> ProcessHandle.of(svc.pid())
          .flatMap(h -> h.info().totalCpuDuration()).map(java.time.Duration::toNanos).orElse(0L);
      long warmCpu;
      ServiceGc warmGc;
      if (wrk.isPresent()) {
        String base = target.validate().resolve("/").toString();
        WrkDriver.run(wrkLauncher, wrk.get(), "warm-up", o.dir(), base, "/validate", warm, o.connections(),
            o.warmupSeconds(), 0);
        warmCpu = cpu.getAsLong();
        warmGc = ServiceGc.read(svc.base());
        w = WrkDriver.run(wrkLauncher, wrk.get(), "warm (cached verdicts)", o.dir(), base, "/validate", warm,
            o.connections(), o.warmSeconds(), 0);
      } else {
        load.timed("warm-up", warm, o.warmupSeconds());
        warmCpu = cpu.getAsLong();
        warmGc = ServiceGc.read(svc.base());
        w = load.timed("warm (cached verdicts)", warm, o.warmSeconds());
      }
      warmCpu = cpu.getAsLong() - warmCpu;
      List<String> gcLines = new java.util.ArrayList<>();
      gcLines.add(ServiceGc.read(svc.base()).since(warmGc, "warm", w.latency().count(), w.nanos() / 1e9));
      // Latency at the target load rather than at saturation: reviews on a fixed schedule at --rate.
      Optional<AdmissionLoad.Phase> paced = Optional.empty();
      if (wrk.isPresent() && o.rate() > 0) {
        // 2% above the rate: the schedule starts as wrk's connections open, which the measured rate counts.
        int offered = (int) Math.ceil(o.rate() * 1.02);
        String base = target.validate().resolve("/").toString();
        ServiceGc pacedGc = ServiceGc.read(svc.base());
        paced = Optional.of(WrkDriver.run(wrkLauncher, wrk.get(),
            String.format(Locale.ROOT, "warm, paced %d/s", offered), o.dir(), base, "/validate", warm,
            PACED_CONNECTIONS, o.warmSeconds(), offered));
        gcLines.add(ServiceGc.read(svc.base()).since(pacedGc, "warm, paced", paced.get().latency().count(),
            paced.get().nanos() / 1e9));
      }
      AdmissionLoad.Phase cFirst = new AdmissionLoad(List.of(target), o.coldConnections())
          .fixed("cold, first after start", coldFirst);
      long coldCpu = cpu.getAsLong();
      AdmissionLoad.Phase c = new AdmissionLoad(List.of(target), o.coldConnections())
          .fixed("cold (full verification)", cold);
      coldCpu = cpu.getAsLong() - coldCpu;
      out.println();
      List<AdmissionLoad.Phase> phases = new java.util.ArrayList<>(List.of(w));
      paced.ifPresent(phases::add);
      phases.add(cFirst);
      phases.add(c);
      for (AdmissionLoad.Phase p : phases) {
        out.println(p.line());
        p.allAllowed(data.resolve("service.log").toString());
      }
      // CPU the service spent per admission: what the machine's load does not change much, and
      // what bounds throughput once the cores are the service's alone.
      int cores = Runtime.getRuntime().availableProcessors();
      for (Object[] row : new Object[][] {{"warm", warmCpu, w}, {"cold", coldCpu, c}}) {
        AdmissionLoad.Phase p = (AdmissionLoad.Phase) row[2];
        double micros = (long) row[1] / 1e3 / Math.max(1, p.latency().count());
        out.printf(Locale.ROOT, "%-28s %7.0f µs service CPU per admission (%d cores: at most %.0f/s)%n", row[0],
            micros, cores, cores * 1e6 / micros);
      }
      // The collector's share of the tail: it stops the event loops (see docs/admission.md, Performance).
      gcLines.forEach(out::println);
      out.println();
      List<Figure> figures = new java.util.ArrayList<>();
      if (paced.isPresent()) {
        figures.add(Figure.atMost("warm admission p99 at the paced load (3 containers)",
            paced.get().latency().p99() / 1e6, "ms", 2));
        figures.add(Figure.atLeast("warm admissions/s of the paced load", paced.get().perSecond(), "1/s", o.rate()));
      } else {
        figures.add(Figure.atMost("warm admission p99, saturated (3 containers)", w.latency().p99() / 1e6, "ms", 2));
      }
      figures.add(Figure.atLeast("warm admissions/s, saturated", w.perSecond(), "1/s", 5000));
      figures.add(Figure.atMost("cold admission p99 (3 signatures verified)", c.latency().p99() / 1e6, "ms", 20));
      // Latency on a busy 2-core machine is mostly the machine's: say how busy it was beside the figures.
      out.println("load avg at the end: " + Machine.load() + " (1, 5, 15 min); figures are for a quiet machine");
      figures.forEach(f -> out.println(f.line()));
      return figures;
    } finally {
      if (!o.keep()) {
        deleteTree(o.dir());
      }
    }
  }

  /** The JDBC URL of a service's H2 database under {@code data} that other processes may open too. */
  static String h2Url(Path data) {
    return "jdbc:h2:file:" + data.toAbsolutePath() + "/db/airseal;AUTO_SERVER=TRUE";
  }

  static JdbcDataSource h2(String url) {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL(url);
    ds.setUser("airseal");
    ds.setPassword("");
    return ds;
  }

  static void deleteTree(Path p) throws IOException {
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
