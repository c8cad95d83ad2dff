package dev.airseal.bench;

import dev.airseal.bundle.TransferKey;
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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@code bench ha}: the packaged service on H2 (one replica), and on PostgreSQL with one and with
 * two replicas. For each: HTTP appends per second, the clients split evenly over the replicas (a
 * follower forwards its half to the leader); then admissions per second over HTTPS, warm (cached
 * verdicts) and cold (every signature verified), the connections spread round-robin over the
 * replicas. With two replicas it also times how long an evidence import on one takes to be honoured
 * by the other's admission webhook. Every configuration starts from an empty database.
 */
public final class HaBench {
  /** What to run. */
  public record Options(
      Path jar,
      Path dir,
      String postgresUrl,
      String postgresUser,
      int entries,
      int clients,
      List<String> serviceJvmOptions,
      int connections,
      int warmPods,
      double admissionSeconds,
      int coldPods,
      int importRounds) {}

  /** The figures of one configuration. */
  private record Row(
      String label,
      double appendsPerSecond,
      AdmissionLoad.Phase warm,
      AdmissionLoad.Phase cold,
      Optional<ImportPropagation.Result> propagation) {}

  /** Replicas started for one configuration, and the database the bench files evidence into. */
  private record Replicas(List<ServiceProcess> processes, DataSource database) {}

  private final Options o;
  private final PrintStream out;
  private final Path jar;
  private final Proposals proposals = new Proposals();
  private final Signer imageKey = p256();
  private final Signer transferKey = p256();
  private final Map<String, String> common = new LinkedHashMap<>();

  private HaBench(Options o, PrintStream out) {
    this.o = o;
    this.out = out;
    this.jar = o.jar() != null ? o.jar() : LogBench.locateJar();
  }

  public static void run(Options o, PrintStream out) throws Exception {
    new HaBench(o, out).run();
  }

  private void run() throws Exception {
    Path policies = Files.createDirectories(o.dir().resolve("policies"));
    Files.writeString(policies.resolve("bench.yaml"), AdmissionEvidence.policy(imageKey));
    Path transferPub = Files.writeString(o.dir().resolve("transfer.pub"), TransferKey.toPem(transferKey.publicKey()));
    common.put("airseal.policy.dir", policies.toAbsolutePath().toString());
    common.put("airseal.bundle.transfer-keys", ImportPropagation.PRODUCER + "=" + transferPub.toAbsolutePath());
    out.printf(Locale.ROOT, "bench ha: %d HTTP appends per row, %d clients; admissions over %d HTTPS connections:"
        + " %d warm pods for %.0f s, %d cold pods (3 containers each)%n", o.entries(), o.clients(), o.connections(),
        o.warmPods(), o.admissionSeconds(), o.coldPods());
    Machine.describe(out);
    List<byte[]> warm = proposals.signed(Math.min(2_000, o.entries()));
    List<Row> rows = new ArrayList<>();
    Path h2 = o.dir().resolve("h2");
    Map<String, String> h2Props = new LinkedHashMap<>(common);
    // The bench files evidence into the service's H2 database through its automatic mixed mode.
    h2Props.put("quarkus.datasource.h2.jdbc.url", AdmissionBench.h2Url(h2));
    try (ServiceProcess s = ServiceProcess.start(jar, h2, o.serviceJvmOptions(), h2Props)) {
      rows.add(measure("H2, 1 replica", new Replicas(List.of(s), AdmissionBench.h2(AdmissionBench.h2Url(h2))), warm));
    }
    for (int replicas = 1; replicas <= 2; replicas++) {
      String schema = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
      createSchema(schema);
      try {
        rows.add(postgres(schema, replicas, warm));
      } finally {
        dropSchema(schema);
      }
    }
    out.println();
    out.printf(Locale.ROOT, "  %-24s %10s | %-38s | %-38s%n", "", "", "warm admissions (cached verdicts)",
        "cold admissions (3 signatures verified)");
    out.printf(Locale.ROOT, "  %-24s %10s | %10s %13s %13s | %10s %13s %13s%n", "", "appends/s", "per second", "p50",
        "p99", "per second", "p50", "p99");
    for (Row r : rows) {
      out.printf(Locale.ROOT, "  %-24s %,10.0f | %,10.0f %13s %13s | %,10.0f %13s %13s%n", r.label(),
          r.appendsPerSecond(), r.warm().perSecond(), Latencies.millis(r.warm().latency().p50()),
          Latencies.millis(r.warm().latency().p99()), r.cold().perSecond(), Latencies.millis(r.cold().latency().p50()),
          Latencies.millis(r.cold().latency().p99()));
    }
    for (Row r : rows) {
      r.propagation().ifPresent(p -> out.println(propagationLine(r.label(), p)));
    }
    // Kept after a failure: the replicas' service.log files say why.
    AdmissionBench.deleteTree(o.dir());
  }

  private Row postgres(String schema, int replicas, List<byte[]> warm) throws Exception {
    String url = o.postgresUrl() + "?currentSchema=" + schema;
    List<ServiceProcess> started = new ArrayList<>();
    try {
      for (int r = 0; r < replicas; r++) {
        Path d = o.dir().resolve(schema + "-" + r);
        if (r > 0) {
          copyKeys(o.dir().resolve(schema + "-0").resolve("keys"), d.resolve("keys"));
        }
        Map<String, String> props = new LinkedHashMap<>(common);
        props.put("airseal.database.kind", "postgresql");
        props.put("quarkus.datasource.postgresql.jdbc.url", url);
        props.put("quarkus.datasource.postgresql.username", o.postgresUser());
        props.put("airseal.log.hostname", "bench.ha");
        started.add(ServiceProcess.start(jar, d, o.serviceJvmOptions(), props));
      }
      PGSimpleDataSource db = new PGSimpleDataSource();
      db.setURL(url);
      db.setUser(o.postgresUser());
      return measure("PostgreSQL, " + replicas + " replica" + (replicas > 1 ? "s" : ""),
          new Replicas(started, db), warm);
    } finally {
      for (ServiceProcess s : started) {
        s.close();
      }
    }
  }

  private Row measure(String label, Replicas rs, List<byte[]> warmUp) throws Exception {
    List<ServiceProcess> ps = rs.processes();
    out.printf(Locale.ROOT, "%s: ready in %s ms%n", label,
        String.join(", ", ps.stream().map(p -> Long.toString(p.readyMillis())).toList()));
    double appends = appends(ps, warmUp);
    out.printf(Locale.ROOT, "  %,.0f appends/s%n", appends);

    RekorClient rekor = new RekorClient(ps.get(0).base().toString().replaceAll("/$", ""), Optional.empty());
    long t0 = System.nanoTime();
    List<Digest> digests = AdmissionEvidence.signAll(imageKey, rekor, new EvidenceStore(rs.database()),
        (o.warmPods() + o.coldPods()) * 3);
    out.printf(Locale.ROOT, "  signed and stored %d images in %.1f s%n", digests.size(), (System.nanoTime() - t0) / 1e9);
    List<AdmissionLoad.Target> targets = new ArrayList<>();
    for (ServiceProcess p : ps) {
      targets.add(AdmissionLoad.Target.of(p));
    }
    AdmissionLoad load = new AdmissionLoad(targets, o.connections());
    List<byte[]> warm = AdmissionLoad.pods(AdmissionEvidence.REPO, digests.subList(0, o.warmPods() * 3));
    List<byte[]> cold = AdmissionLoad.pods(AdmissionEvidence.REPO, digests.subList(o.warmPods() * 3, digests.size()));
    String logs = "the service.log of each replica under " + o.dir();
    // Each replica verifies every warm pod once first, which fills its verdict cache.
    for (AdmissionLoad.Target t : targets) {
      new AdmissionLoad(List.of(t), o.connections()).fixed("warm-fill", warm).allAllowed(logs);
    }
    AdmissionLoad.Phase w = load.timed("warm (cached verdicts)", warm, o.admissionSeconds()).allAllowed(logs);
    out.println("  " + w.line());
    AdmissionLoad.Phase c = load.fixed("cold (full verification)", cold).allAllowed(logs);
    out.println("  " + c.line());

    Optional<ImportPropagation.Result> propagation = Optional.empty();
    if (ps.size() > 1) {
      ImportPropagation.Result p = new ImportPropagation(new SyntheticEvidence(imageKey), transferKey,
          AdmissionEvidence.REPO + "-imported").measure(ps.get(0).base(), targets.get(1), o.importRounds());
      out.println("  " + propagationLine(label, p));
      propagation = Optional.of(p);
    }
    return new Row(label, appends, w, c, propagation);
  }

  // HTTP appends split evenly over the replicas, after an untimed warm-up through the first.
  private double appends(List<ServiceProcess> ps, List<byte[]> warm) {
    HttpAppendBench.run("warm-up", ps.get(0).base(), warm, o.clients(), HttpAppendBench.Client.JDK);
    List<byte[]> all = proposals.signed(o.entries());
    int per = all.size() / ps.size();
    long t0 = System.nanoTime();
    List<CompletableFuture<HttpAppendBench.Result>> runs = new ArrayList<>();
    for (int r = 0; r < ps.size(); r++) {
      ServiceProcess s = ps.get(r);
      List<byte[]> part = all.subList(r * per, r == ps.size() - 1 ? all.size() : (r + 1) * per);
      runs.add(CompletableFuture.supplyAsync(() -> HttpAppendBench.run("replica", s.base(), part,
          Math.max(1, o.clients() / ps.size()), HttpAppendBench.Client.JDK)));
    }
    runs.forEach(CompletableFuture::join);
    return all.size() / ((System.nanoTime() - t0) / 1e9);
  }

  private static String propagationLine(String label, ImportPropagation.Result p) {
    return String.format(Locale.ROOT, "%s: evidence imported on replica A admitted by replica B after %s ms"
        + " (median %.0f ms, max %.0f ms; first import, with its trust root: %.0f ms)", label,
        String.join(", ", p.millis().stream().map(m -> String.format(Locale.ROOT, "%.0f", m)).toList()),
        p.median(), p.max(), p.firstMillis());
  }

  private static Signer p256() {
    return new SoftwareSigner(KeyGeneration.generate(SignatureAlgorithm.PKIX_ECDSA_P256_SHA_256),
        SignatureAlgorithm.PKIX_ECDSA_P256_SHA_256);
  }

  private static void copyKeys(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (var files = Files.list(from)) {
      for (Path f : files.toList()) {
        if (Files.isRegularFile(f)) {
          Files.copy(f, to.resolve(f.getFileName()));
        }
      }
    }
  }

  private void createSchema(String schema) throws SQLException {
    try (Connection c = DriverManager.getConnection(o.postgresUrl(), o.postgresUser(), "");
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
  }

  private void dropSchema(String schema) throws SQLException {
    try (Connection c = DriverManager.getConnection(o.postgresUrl(), o.postgresUser(), "");
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA " + schema + " CASCADE");
    }
  }
}
