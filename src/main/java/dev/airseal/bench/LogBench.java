package dev.airseal.bench;

import dev.airseal.log.Hex;
import dev.airseal.log.Rfc6962;
import dev.airseal.log.TransparencyLog;
import dev.airseal.log.rekor.SignedEntryTimestamp;
import dev.airseal.log.sequencer.EntryDraft;
import dev.airseal.log.store.JdbcLogStore;
import dev.airseal.signing.Signer;
import dev.airseal.signing.Signers;
import dev.airseal.signing.soft.SoftwareSigner;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/** {@code airseal bench log}: the log's three headline figures, printed with their set-up. */
public final class LogBench {
  public static final double APPENDS_TARGET = 10_000;
  public static final double HTTP_TARGET = 3_000;
  // The last part of the wrk warm-up, run over fresh connections (see its use).
  static final double RECONNECT_WARMUP_SECONDS = 10;
  public static final double PROOF_P99_TARGET_MS = 1.0;

  /** What to run; the defaults live in the CLI command. */
  public record Options(
      Path dir,
      boolean keep,
      boolean skipAppend,
      int entries,
      int threads,
      List<Integer> windows,
      boolean skipHttp,
      int httpEntries,
      int clients,
      List<HttpAppendBench.Client> httpClients,
      double wrkSeconds,
      double wrkWarmupSeconds,
      int wrkMaxRate,
      Path jar,
      List<String> serviceJvmOptions,
      boolean skipProofs,
      List<Long> sizes,
      int proofs,
      int proofWarmup,
      int bulkBatch,
      boolean bulkViaStore,
      int batchSize,
      Duration batchDelay,
      int maxPending,
      int tileCacheSize,
      Duration indexInterval,
      String logKey) {

    TransparencyLog.Settings settings() {
      return new TransparencyLog.Settings(
          BulkLoader.HOSTNAME, batchSize, batchDelay, maxPending, tileCacheSize, indexInterval);
    }
  }

  private final Options o;
  private final PrintStream out;
  private final List<Figure> figures = new ArrayList<>();

  public LogBench(Options options, PrintStream out) {
    this.o = options;
    this.out = out;
  }

  public List<Figure> run() throws IOException {
    Files.createDirectories(o.dir());
    try {
      describeSetUp();
      if (!o.skipAppend()) {
        inProcess(o.dir().resolve("append"));
      }
      if (!o.skipHttp()) {
        overHttp(o.dir().resolve("http"));
      }
      if (!o.skipProofs()) {
        proofs();
      }
      out.println();
      out.println("Figures");
      figures.forEach(f -> out.println("  " + f.line()));
      return List.copyOf(figures);
    } finally {
      if (!o.keep()) {
        deleteTree(o.dir());
      }
    }
  }

  private void describeSetUp() {
    out.println("airseal bench log");
    Machine.describe(out);
    out.printf(
        Locale.ROOT,
        "  log       : batch size %d, batch max delay %d ms, max pending %d, tile cache %d tiles,"
            + " index interval %d ms;%n"
            + "              per batch: 1 transaction, 1 checkpoint signature, 1 CHECKPOINT SYNC;%n"
            + "              per entry: 1 SET signature (parallel); both by the log key of figure 1%n",
        o.batchSize(),
        o.batchDelay().toMillis(),
        o.maxPending(),
        o.tileCacheSize(),
        o.indexInterval().toMillis());
    out.printf(
        Locale.ROOT,
        "  databases : H2 file databases under %s (%s free)%n",
        o.dir().toAbsolutePath(),
        bytes(o.dir().toFile().getUsableSpace()));
  }

  // The service's key comes from KeyFiles, which makes and loads it with BouncyCastle. A SunEC key
  // signs 3-4x slower through BouncyCastle (its curve parameters are converted, and the generator's
  // comb table recomputed, on every initSign), so the bench must not use one.
  private static Signer newSigner() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC", Proposals.BC);
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return new SoftwareSigner(g.generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The log key of figure 1: {@code --log-key} if given (an HSM or KMS key signs every checkpoint
   * and every SET), else a new software P-256 key.
   */
  private Signer logSigner() {
    if (o.logKey() == null) {
      return newSigner();
    }
    try {
      return Signers.fromUri(o.logKey());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open --log-key " + Signers.redact(o.logKey()), e);
    }
  }

  /** Figure 1: durable appends through the in-process log, real SETs, canonical bodies. */
  public List<AppendBench.Result> inProcess(Path dir) {
    Signer signer = logSigner();
    String logId = Hex.encode(Rfc6962.sha256(signer.publicKey().getEncoded()));
    int warmup = Math.min(20_000, Math.max(1, o.entries() / 5));
    List<EntryDraft> drafts = new Proposals().canonicalDrafts(warmup + o.entries() * o.windows().size());
    double meanBody = drafts.stream().mapToInt(d -> d.body().length).average().orElse(0);
    out.println();
    out.printf(
        Locale.ROOT,
        "1. Durable appends, in-process: %,d entries per row after %,d warm-up; hashedrekord bodies"
            + " of %.0f bytes, %d index keys each%n",
        o.entries(),
        warmup,
        meanBody,
        drafts.get(0).indexKeys().size());
    out.printf(
        Locale.ROOT,
        "   log key: %s (%s); submissions checked and software keys signed by %s%n",
        o.logKey() == null ? "software, generated" : Signers.redact(o.logKey()),
        signer.algorithm(),
        dev.airseal.crypto.AwsLc.engine());
    List<AppendBench.Result> results = new ArrayList<>();
    try (BenchDatabase db = BenchDatabase.create(dir)) {
      out.println("   database: " + db.url() + " (schema by " + db.migratedBy() + ")");
      AppendBench.Probe probe = new AppendBench.Probe();
      probe.store = new CountingStore(new JdbcLogStore(db.dataSource()));
      try (TransparencyLog log =
          TransparencyLog.open(
              probe.store,
              signer,
              o.settings(),
              (index, time, body) -> {
                long t = System.nanoTime();
                byte[] set = SignedEntryTimestamp.sign(signer, body, time, logId, index);
                probe.signNanos.add(System.nanoTime() - t);
                return set;
              },
              Clock.systemUTC())) {
        int window = o.windows().get(o.windows().size() - 1);
        AppendBench.run("warm-up", log, drafts.subList(0, warmup), o.threads(), window, probe);
        out.printf(
            Locale.ROOT,
            "   %-24s %12s %10s %10s %10s %9s %11s %9s  %s%n",
            "submitters x outstanding", "appends/s", "p50", "p99", "max", "batches", "mean batch",
            "CPU/appnd",
            "sequencer per batch: dup lookup / SET signing (CPU, all threads) / commit+sync");
        int from = warmup;
        for (int w : o.windows()) {
          List<EntryDraft> slice = drafts.subList(from, from + o.entries());
          from += o.entries();
          AppendBench.Result r =
              AppendBench.run(o.threads() + " x " + w, log, slice, o.threads(), w, probe);
          results.add(r);
          out.printf(
              Locale.ROOT,
              "   %-24s %,12.0f %10s %10s %10s %,9d %11.1f %6.0f µs  %s / %s / %s%n",
              r.label(),
              r.perSecond(),
              Latencies.millis(r.latency().p50()),
              Latencies.millis(r.latency().p99()),
              Latencies.millis(r.latency().max()),
              r.batches(),
              r.meanBatch(),
              r.cpuMicrosPerAppend(),
              Latencies.millis(r.split().lookupNanos() / r.batches()),
              Latencies.millis(r.split().signNanos() / r.batches()),
              Latencies.millis(r.split().commitNanos() / r.batches()));
          out.flush();
        }
        out.printf(
            Locale.ROOT,
            "   tree size %,d; database %s%n",
            log.published().tree().size(),
            bytes(db.sizeOnDisk()));
      }
    }
    closeQuietly(signer);
    AppendBench.Result best =
        results.stream().max(Comparator.comparingDouble(AppendBench.Result::perSecond)).orElseThrow();
    figures.add(
        Figure.atLeast(
            "durable appends/s in-process (" + best.label() + ")"
                + (o.logKey() == null ? "" : ", log key " + signer.algorithm()),
            best.perSecond(),
            "/s",
            APPENDS_TARGET));
    return results;
  }

  /**
   * Figure 2: the packaged service in a child process, 64 clients posting signed proposals. wrk
   * (C) drives the headline row, so the service has the cores; the JVM clients' rows show what a
   * client sharing the machine gets.
   */
  public void overHttp(Path dir) throws IOException {
    Path jar = o.jar() != null ? o.jar() : locateJar();
    List<HttpAppendBench.Client> jvmClients =
        o.httpClients().stream().filter(c -> c != HttpAppendBench.Client.WRK).toList();
    java.util.Optional<Path> wrk =
        o.httpClients().contains(HttpAppendBench.Client.WRK)
            ? java.util.Optional.of(WrkDriver.find().orElseThrow(() -> new IllegalStateException(
                "--http-client wrk needs wrk on the PATH (Debian package wrk)")))
            : java.util.Optional.empty();
    // With wrk, a wrk warm-up long enough for the JIT, with proposals for the target rate (a
    // faster service runs out early and reads the log for the rest); else a JVM-client one.
    int warmup = wrk.isPresent()
        ? (int) Math.ceil(o.wrkWarmupSeconds() * Math.min(o.wrkMaxRate(), HTTP_TARGET))
        : Math.min(5_000, Math.max(1, o.httpEntries() / 5));
    int wrkCount = wrk.isPresent() ? (int) Math.ceil(o.wrkSeconds() * o.wrkMaxRate()) : 0;
    int total = warmup + wrkCount + o.httpEntries() * jvmClients.size();
    out.println();
    out.printf(
        Locale.ROOT,
        "2. Appends over HTTP: %d clients, one request at a time each, keep-alive; signed"
            + " hashedrekord proposals, each posted once, after a warm-up (%s)%n",
        o.clients(),
        wrk.isPresent()
            ? String.format(Locale.ROOT, "wrk, %.0f s", o.wrkWarmupSeconds())
            : String.format(Locale.ROOT, "%,d by a JVM client", warmup));
    if (wrk.isPresent()) {
      out.printf(
          Locale.ROOT,
          "   wrk: %.0f s timed, with %d connections from %,d proposals (for up to %,d/s); only 201s count,"
              + " and the tree must have grown by as many%n",
          o.wrkSeconds(),
          o.clients(),
          wrkCount,
          o.wrkMaxRate());
    }
    if (!jvmClients.isEmpty()) {
      out.printf(Locale.ROOT, "   JVM clients: %,d proposals per row, on the same cores as the service%n",
          o.httpEntries());
    }
    long g0 = System.nanoTime();
    List<byte[]> proposals = new Proposals().signed(total);
    out.printf(
        Locale.ROOT,
        "   pre-signed %,d proposals of %,d bytes in %.1f s (not timed)%n",
        total,
        proposals.get(0).length,
        (System.nanoTime() - g0) / 1e9);
    Map<String, String> props = new LinkedHashMap<>();
    props.put("airseal.log.hostname", BulkLoader.HOSTNAME);
    props.put("airseal.log.batch-size", Integer.toString(o.batchSize()));
    props.put("airseal.log.batch-max-delay", o.batchDelay().toString());
    props.put("airseal.log.max-pending", Integer.toString(o.maxPending()));
    props.put("airseal.log.tile-cache-size", Integer.toString(o.tileCacheSize()));
    props.put("airseal.log.index-interval", o.indexInterval().toString());
    List<Figure> rows = new ArrayList<>();
    try (ServiceProcess service = ServiceProcess.start(jar, dir, o.serviceJvmOptions(), props)) {
      out.printf(
          Locale.ROOT,
          "   service: java -jar %s serve (pid %d, %s, data %s), ready in %d ms%n",
          jar,
          service.pid(),
          service.base(),
          dir.toAbsolutePath(),
          service.readyMillis());
      try {
        if (wrk.isPresent() && o.wrkWarmupSeconds() > 0) {
          // In two wrk runs: when 64 keep-alive connections close and 64 new ones open, hot code
          // compiled without those paths deoptimises (JFR: ~130 deoptimisations and a second or
          // two of C2 at full tilt). After the first reconnect it is compiled in, as it is in a
          // service whose clients come and go; the timed run's own reconnect then costs nothing.
          double second = Math.min(RECONNECT_WARMUP_SECONDS, o.wrkWarmupSeconds() / 2);
          int split = (int) (warmup * (1 - second / o.wrkWarmupSeconds()));
          WrkAppends.run(wrk.get(), "warm-up", dir.resolve("wrk"), service.base(),
              proposals.subList(0, split), o.clients(), o.wrkWarmupSeconds() - second, service.pid(), true);
          WrkAppends.run(wrk.get(), "warm-up", dir.resolve("wrk"), service.base(),
              proposals.subList(split, warmup), o.clients(), second, service.pid(), true);
        } else if (wrk.isEmpty()) {
          HttpAppendBench.run(
              "warm-up", service.base(), proposals.subList(0, warmup), o.clients(), jvmClients.get(0));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
      out.printf(
          Locale.ROOT,
          "   %-24s %12s %10s %10s %10s  %s%n",
          "client",
          "appends/s",
          "p50",
          "p99",
          "max",
          "service CPU per append; tree growth");
      int from = warmup;
      if (wrk.isPresent()) {
        WrkAppends.Result r;
        try {
          r = WrkAppends.run(wrk.get(), "wrk", dir.resolve("wrk"), service.base(),
              proposals.subList(from, from + wrkCount), o.clients(), o.wrkSeconds(), service.pid(), false);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        }
        from += wrkCount;
        out.printf(
            Locale.ROOT,
            "   %-24s %,12.0f %10s %10s %10s  %.0f µs; %,d for %,d answers 201%n",
            r.label(),
            r.perSecond(),
            Latencies.millis(r.latency().p50()),
            Latencies.millis(r.latency().p99()),
            Latencies.millis(r.latency().max()),
            r.cpuMicrosPerAppend(),
            r.treeGrowth(),
            r.created());
        out.flush();
        rows.add(Figure.atLeast("appends/s over HTTP, " + o.clients() + " connections (wrk)",
            r.perSecond(), "/s", HTTP_TARGET));
      }
      for (HttpAppendBench.Client c : jvmClients) {
        List<byte[]> slice = proposals.subList(from, from + o.httpEntries());
        from += o.httpEntries();
        HttpAppendBench.Result r =
            HttpAppendBench.run(
                c.name().toLowerCase(Locale.ROOT), service.base(), slice, o.clients(), c);
        printHttp(r);
        // Without wrk the best JVM client is the figure; with it, these rows are for comparison.
        if (wrk.isEmpty() && (rows.isEmpty() || r.perSecond() > rows.get(0).value())) {
          rows.clear();
          rows.add(Figure.atLeast(
              "appends/s over HTTP, " + o.clients() + " clients (" + r.label() + ")",
              r.perSecond(), "/s", HTTP_TARGET));
        }
      }
    }
    figures.addAll(rows);
  }

  /** The HTTP part against a service that is already running (used by tests). */
  public HttpAppendBench.Result overHttp(URI base, List<byte[]> proposals, HttpAppendBench.Client c) {
    HttpAppendBench.Result r =
        HttpAppendBench.run(c.name().toLowerCase(Locale.ROOT), base, proposals, o.clients(), c);
    printHttp(r);
    return r;
  }

  private void printHttp(HttpAppendBench.Result r) {
    out.printf(
        Locale.ROOT,
        "   %-24s %,12.0f %10s %10s %10s%n",
        r.label(),
        r.perSecond(),
        Latencies.millis(r.latency().p50()),
        Latencies.millis(r.latency().p99()),
        Latencies.millis(r.latency().max()));
    out.flush();
  }

  /** Figure 3: inclusion-proof latency on bulk-loaded trees. */
  public List<ProofBench.Result> proofs() {
    Signer signer = newSigner();
    out.println();
    out.printf(
        Locale.ROOT,
        "3. Inclusion proofs: bulk-loaded trees (%s, %,d leaves per transaction), reopened cold;"
            + " %,d random proofs timed after %,d warm-up, one thread; the first %,d, before"
            + " warm-up, are the cold column%n",
        o.bulkViaStore()
            ? "JdbcLogStore.commit with its leaf index and a sync per batch"
            : "direct inserts of entries, tiles and head, no leaf index, one sync",
        o.bulkBatch(),
        o.proofs(),
        o.proofWarmup(),
        Math.min(o.proofs(), 1000));
    out.printf(
        Locale.ROOT,
        "   %12s %9s %9s %9s %7s %10s %10s %10s %10s %10s %7s%n",
        "tree size",
        "load",
        "leaves/s",
        "db size",
        "open",
        "cold p99",
        "p50",
        "p99",
        "max",
        "tiles/prf",
        "ok");
    List<ProofBench.Result> results = new ArrayList<>();
    for (long size : o.sizes()) {
      Path dir = o.dir().resolve("proofs-" + size);
      ProofBench.Result r =
          ProofBench.run(
              dir,
              size,
              o.proofs(),
              o.proofWarmup(),
              o.bulkBatch(),
              o.bulkViaStore(),
              o.settings(),
              signer);
      results.add(r);
      out.printf(
          Locale.ROOT,
          "   %,12d %8.1fs %,9.0f %9s %6.0fms %10s %10s %10s %10s %10.2f %7d%n",
          r.size(),
          r.loadNanos() / 1e9,
          r.size() / (r.loadNanos() / 1e9),
          bytes(r.dbBytes()),
          r.openNanos() / 1e6,
          Latencies.millis(r.cold().p99()),
          Latencies.millis(r.warm().p50()),
          Latencies.millis(r.warm().p99()),
          Latencies.millis(r.warm().max()),
          r.tileReadsPerProof(),
          r.verified());
      out.flush();
      figures.add(
          Figure.atMost(
              String.format(Locale.ROOT, "inclusion proof p99 at %,d entries", size),
              r.warm().p99() / 1e6,
              "ms",
              PROOF_P99_TARGET_MS));
      if (!o.keep()) {
        deleteTree(dir);
      }
    }
    return results;
  }

  /** The jar this command runs from, else the build's. */
  public static Path locateJar() {
    String cp = System.getProperty("java.class.path", "");
    for (String e : cp.split(java.io.File.pathSeparator)) {
      if (e.endsWith("quarkus-run.jar")) {
        return Path.of(e);
      }
    }
    Path built = Path.of("target", "quarkus-app", "quarkus-run.jar");
    if (Files.isRegularFile(built)) {
      return built;
    }
    throw new IllegalStateException(
        "cannot find quarkus-run.jar to start the service; pass --jar or --skip-http");
  }

  static void closeQuietly(Signer s) {
    if (s instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        // the figures are taken; a key that does not close cleanly does not change them
      }
    }
  }

  static String bytes(long b) {
    if (b >= 1L << 30) {
      return String.format(Locale.ROOT, "%.2f GiB", b / (double) (1L << 30));
    }
    return String.format(Locale.ROOT, "%.1f MiB", b / (double) (1L << 20));
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
