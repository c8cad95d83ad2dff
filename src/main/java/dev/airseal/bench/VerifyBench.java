package dev.airseal.bench;

import dev.airseal.crypto.AwsLc;
import dev.airseal.trust.TrustedRoot;
import dev.airseal.verify.Artifact;
import dev.airseal.verify.BundleVerifier;
import dev.airseal.verify.VerificationPolicy;
import dev.airseal.verify.Verdict;
import dev.airseal.verify.x509.IdentityPolicy;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Provider;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code airseal bench verify}: full offline bundle verifications/s, for one thread and for
 * several, with the trusted root parsed again for every verification ("cold") and parsed once
 * ("warm"); beside it, the raw ECDSA verify rate of the engine the verifier uses, its limit. Threads cycle
 * through distinct bundles, each thread from its own offset. A verification that does not allow
 * stops the bench: a fast denial is not a verification.
 */
public final class VerifyBench {

  /** What to run; the defaults live in the CLI command. */
  public record Options(List<Integer> threads, Duration warmup, Duration duration) {
    public Options {
      if (threads.isEmpty() || threads.stream().anyMatch(t -> t < 1)) {
        throw new IllegalArgumentException("thread counts must be at least 1, got " + threads);
      }
      if (duration.isZero() || duration.isNegative() || warmup.isNegative()) {
        throw new IllegalArgumentException(
            "the timed run must be positive and the warm-up not negative: " + duration + ", " + warmup);
      }
      threads = List.copyOf(threads);
    }
  }

  /**
   * One bundle and what its verification needs.
   *
   * @param trustedRoot the trusted root's JSON, parsed per verification in the cold rows
   */
  public record Case(
      String name, byte[] bundle, Artifact artifact, VerificationPolicy policy, byte[] trustedRoot) {}

  /** One row of the table. */
  public record Row(String what, int threads, long ops, long nanos, Latencies latency) {
    public double perSecond() {
      return ops / (nanos / 1e9);
    }
  }

  /** One timed operation; {@code i} counts this thread's operations, to cycle through inputs. */
  @FunctionalInterface
  /** One timed operation; {@code i} counts the calls on this thread. */
  public interface Op extends TimedRun.Op {}

  private final Options o;
  private final PrintStream out;

  public VerifyBench(Options options, PrintStream out) {
    this.o = options;
    this.out = out;
  }

  public Options options() {
    return o;
  }

  /**
   * The sigstore-conformance layout: {@code dir/<name>/bundle.sigstore.json}, the artifact in
   * {@code <name>/artifact} or {@code dir/a.txt}, the identity and issuer in {@code <name>/identity}
   * and {@code <name>/issuer} or the suite's defaults, {@code <name>/trusted_root.json} or {@code
   * defaultRoot}. {@code now} pins the verifier's clock.
   */
  public static List<Case> conformanceCases(
      Path dir, List<String> names, Path defaultRoot, java.time.Instant now) throws IOException {
    List<Case> cases = new ArrayList<>();
    for (String name : names) {
      Path c = dir.resolve(name);
      Path artifact = Files.exists(c.resolve("artifact")) ? c.resolve("artifact") : dir.resolve("a.txt");
      Path root = Files.exists(c.resolve("trusted_root.json")) ? c.resolve("trusted_root.json") : defaultRoot;
      IdentityPolicy identity =
          IdentityPolicy.exact(
              text(c.resolve("identity"), CONFORMANCE_IDENTITY), text(c.resolve("issuer"), CONFORMANCE_ISSUER));
      cases.add(
          new Case(
              name,
              Files.readAllBytes(c.resolve("bundle.sigstore.json")),
              Artifact.ofBytes(Files.readAllBytes(artifact)),
              VerificationPolicy.forIdentity(identity).at(now),
              Files.readAllBytes(root)));
    }
    return cases;
  }

  public static final String CONFORMANCE_IDENTITY =
      "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
  public static final String CONFORMANCE_ISSUER = "https://token.actions.githubusercontent.com";

  /** The keyless happy-path bundles of sigstore-conformance that verify with the production root. */
  public static final List<String> CONFORMANCE_KEYLESS =
      List.of(
          "happy-path-v0.1",
          "happy-path-v0.2",
          "happy-path-v0.3",
          "happy-path-v0.3-new-mediaType",
          "happy-path-intoto-in-dsse-v3");

  private static String text(Path p, String fallback) throws IOException {
    return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8).strip() : fallback;
  }

  public void describeSetUp(List<Case> cases) {
    out.println("airseal bench verify");
    Machine.describe(out);
    out.printf(
        Locale.ROOT,
        "  bundles   : %d distinct (%s), cycled per thread from its own offset%n",
        cases.size(),
        String.join(", ", cases.stream().map(Case::name).toList()));
    out.printf(
        Locale.ROOT,
        "  run       : per row %.1f s warm-up (untimed), then %.1f s; cold = bundle and trusted root"
            + " parsed per verification,%n"
            + "              warm = trusted root parsed once; every verification must ALLOW%n",
        o.warmup().toMillis() / 1e3,
        o.duration().toMillis() / 1e3);
    out.println();
    header();
  }

  public void header() {
    out.printf(
        Locale.ROOT, "   %-50s %7s %12s %10s %10s %10s%n", "what", "threads", "ops/s", "p50", "p99", "max");
    out.flush();
  }

  /** Checks every case allows once (with its reason when not), then cold and warm rows. */
  public List<Row> airseal(List<Case> cases) throws Exception {
    TrustedRoot[] roots = new TrustedRoot[cases.size()];
    for (int c = 0; c < cases.size(); c++) {
      Case k = cases.get(c);
      roots[c] = TrustedRoot.parse(k.trustedRoot());
      require(k.name(), BundleVerifier.verify(k.bundle(), k.artifact(), k.policy(), roots[c]));
    }
    int n = cases.size();
    List<Row> rows = new ArrayList<>();
    for (int t : o.threads()) {
      rows.add(
          row(
              "airseal, cold (root parsed per verification)",
              t,
              (thread, i) -> {
                Case k = cases.get(index(thread, i, n));
                require(k.name(), BundleVerifier.verify(k.bundle(), k.artifact(), k.policy(), TrustedRoot.parse(k.trustedRoot())));
              }));
    }
    for (int t : o.threads()) {
      rows.add(
          row(
              "airseal, warm (root parsed once)",
              t,
              (thread, i) -> {
                int c = index(thread, i, n);
                Case k = cases.get(c);
                require(k.name(), BundleVerifier.verify(k.bundle(), k.artifact(), k.policy(), roots[c]));
              }));
    }
    return rows;
  }

  /**
   * Raw ECDSA verifies of one signature over 32 bytes, per curve, by the engine the verifier uses
   * (crypto/AwsLc, else BouncyCastle): its limit. With {@code freshKey} the public key is decoded
   * from its encoding for every verify, as a bundle's leaf key is.
   */
  public List<Row> rawVerify(String curve, String algorithm, boolean freshKey) throws Exception {
    Provider engine = AwsLc.provider().orElse(Proposals.BC);
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC", engine);
    g.initialize(new ECGenParameterSpec(curve), new SecureRandom());
    KeyPair kp = g.generateKeyPair();
    byte[] message = new byte[32];
    new SecureRandom().nextBytes(message);
    Signature s = Signature.getInstance(algorithm, engine);
    s.initSign(kp.getPrivate());
    s.update(message);
    byte[] sig = s.sign();
    byte[] spki = kp.getPublic().getEncoded();
    java.security.KeyFactory kf = java.security.KeyFactory.getInstance("EC", engine);
    List<Row> rows = new ArrayList<>();
    for (int t : o.threads()) {
      Signature[] verifiers = new Signature[t];
      for (int i = 0; i < t; i++) {
        verifiers[i] = Signature.getInstance(algorithm, engine);
      }
      rows.add(
          row(
              "raw " + engine.getName() + " " + curve + " verify" + (freshKey ? ", key decoded each time" : ""),
              t,
              (thread, i) -> {
                Signature v = verifiers[thread];
                v.initVerify(
                    freshKey ? kf.generatePublic(new java.security.spec.X509EncodedKeySpec(spki)) : kp.getPublic());
                v.update(message);
                if (!v.verify(sig)) {
                  throw new IllegalStateException("raw signature does not verify");
                }
              }));
    }
    return rows;
  }

  /**
   * Signature verifications in one keyless happy-path bundle with the production root, warm: the
   * SET, the checkpoint and the SCT with long-lived P-256 keys (Rekor, CT log), whose precomputed
   * tables BouncyCastle keeps; the message or DSSE signature with the leaf's P-256 key, seen once;
   * the leaf by the Fulcio intermediate with its long-lived P-384 key. The intermediate by the root
   * is checked once per parsed root, so only the cold rows pay it (and the roots' self-signatures).
   */
  public static final int P256_KEPT_PER_BUNDLE = 3;

  public static final int P256_FRESH_PER_BUNDLE = 1;

  public static final int P384_KEPT_PER_BUNDLE = 1;

  public Report report() {
    return new Report();
  }

  /** The rows of one run and the figures they give, printed last. */
  public final class Report {
    private List<Row> airseal = List.of();
    private List<Row> raw256 = List.of();
    private List<Row> raw384 = List.of();
    private List<Row> raw256Fresh = List.of();
    private List<Row> sigstoreJava = List.of();

    public void airseal(List<Row> rows) {
      airseal = List.copyOf(rows);
    }

    public void raw256(List<Row> rows) {
      raw256 = List.copyOf(rows);
    }

    public void raw256Fresh(List<Row> rows) {
      raw256Fresh = List.copyOf(rows);
    }

    public void raw384(List<Row> rows) {
      raw384 = List.copyOf(rows);
    }

    public void sigstoreJava(List<Row> rows) {
      sigstoreJava = List.copyOf(rows);
    }

    private double rate(List<Row> rows, String prefix, int threads) {
      return rows.stream()
          .filter(r -> r.threads() == threads && r.what().startsWith(prefix))
          .mapToDouble(Row::perSecond)
          .findFirst()
          .orElse(Double.NaN);
    }

    /** Prints the derived lines and the figures held to targets; returns the figures. */
    public List<Figure> print() {
      int n = o.threads().stream().mapToInt(Integer::intValue).max().orElse(1);
      List<Figure> figures = new ArrayList<>();
      out.println();
      for (int t : o.threads()) {
        double cold = rate(airseal, "airseal, cold", t);
        double warm = rate(airseal, "airseal, warm", t);
        double p256 = rate(raw256, "raw", t);
        double p384 = rate(raw384, "raw", t);
        double p256Fresh = rate(raw256Fresh, "raw", t);
        // What a warm verification's signature checks alone cost, from the raw rates of this run.
        double limit =
            1 / (P256_KEPT_PER_BUNDLE / p256 + P256_FRESH_PER_BUNDLE / p256Fresh + P384_KEPT_PER_BUNDLE / p384);
        out.printf(
            Locale.ROOT,
            "  %d thread(s): signature-bound limit %,.0f bundles/s (%d P-256 with a kept key + %d"
                + " P-256 decoded + %d P-384 verifies per bundle at the raw rates);%n"
                + "              airseal warm = %.0f%% of it, cold = %.0f%%%n",
            t, limit, P256_KEPT_PER_BUNDLE, P256_FRESH_PER_BUNDLE, P384_KEPT_PER_BUNDLE,
            100 * warm / limit, 100 * cold / limit);
        if (t == n) {
          figures.add(Figure.atLeast("airseal full verifications/s, cold, " + t + " threads", cold, "/s", 2000));
          figures.add(Figure.atLeast("airseal full verifications/s, warm, " + t + " threads", warm, "/s", 2000));
          figures.add(Figure.atLeast("airseal warm / signature-bound limit, " + t + " threads", warm / limit, "ratio", 0.70));
        }
        if (!sigstoreJava.isEmpty()) {
          double sjCold = rate(sigstoreJava, "sigstore-java 2.0.0, cold", t);
          double sjWarm = rate(sigstoreJava, "sigstore-java 2.0.0, warm", t);
          out.printf(
              Locale.ROOT,
              "              airseal / sigstore-java: cold %.1fx, warm %.1fx%n",
              cold / sjCold, warm / sjWarm);
          if (t == n) {
            figures.add(Figure.atLeast("airseal / sigstore-java, cold, " + t + " threads", cold / sjCold, "x", 5));
            figures.add(Figure.atLeast("airseal / sigstore-java, warm, " + t + " threads", warm / sjWarm, "x", 5));
          }
        }
      }
      out.println();
      for (Figure f : figures) {
        out.println("  " + f.line());
      }
      out.flush();
      return figures;
    }
  }

  static int index(int thread, long i, int n) {
    return (int) ((thread * 7L + i) % n);
  }

  static void require(String name, Verdict v) {
    if (!v.allowed()) {
      throw new IllegalStateException(name + " does not verify: " + v);
    }
  }

  /** Warms {@code op} up, then times it; prints and returns the row. */
  public Row row(String what, int threads, Op op) {
    TimedRun.run(threads, o.warmup(), op, "bench-verifier");
    TimedRun.Timed t = TimedRun.run(threads, o.duration(), op, "bench-verifier");
    Row r = new Row(what, threads, t.latency().count(), t.nanos(), t.latency());
    out.printf(
        Locale.ROOT,
        "   %-50s %7d %,12.0f %10s %10s %10s%n",
        what,
        threads,
        r.perSecond(),
        Latencies.millis(r.latency().p50()),
        Latencies.millis(r.latency().p99()),
        Latencies.millis(r.latency().max()));
    out.flush();
    return r;
  }

}
