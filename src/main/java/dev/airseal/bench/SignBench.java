package dev.airseal.bench;

import dev.airseal.signing.SignatureAlgorithm;
import dev.airseal.signing.Signer;
import java.io.PrintStream;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code airseal bench sign}: signatures/s and latency of each key, whatever holds it (memory,
 * PKCS#11 token, KMS), for one thread and for several. Every thread signs the same message until
 * the row's time is up; latency is one {@link Signer#sign} call, so for a KMS it includes the round
 * trip.
 */
public final class SignBench {

  /** What to run; the defaults live in the CLI command. */
  public record Options(List<Integer> threads, Duration warmup, Duration duration, int messageBytes) {
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

  /** A key to bench and how the table names it (a key reference with its PIN redacted). */
  public record Key(String name, Signer signer) {}

  /** One row: a key at one thread count. */
  public record Row(
      String key, SignatureAlgorithm algorithm, int threads, long signatures, long nanos, Latencies latency) {
    public double perSecond() {
      return signatures / (nanos / 1e9);
    }
  }

  private final Options o;
  private final PrintStream out;
  private final byte[] message;

  public SignBench(Options options, PrintStream out) {
    this.o = options;
    this.out = out;
    this.message = new byte[options.messageBytes()];
    new SecureRandom().nextBytes(message);
  }

  public void describeSetUp() {
    out.println("airseal bench sign");
    Machine.describe(out);
    out.printf(
        Locale.ROOT,
        "  run       : one %,d-byte message signed over and over; per key, %.1f s warm-up at %d"
            + " threads (untimed), then %.1f s per row;%n"
            + "              latency is one Signer.sign call (digest + signature, plus the round trip"
            + " for a remote key)%n",
        o.messageBytes(),
        o.warmup().toMillis() / 1e3,
        maxThreads(),
        o.duration().toMillis() / 1e3);
    out.println();
    out.printf(
        Locale.ROOT,
        "   %-44s %-30s %7s %12s %10s %10s %10s%n",
        "key", "algorithm", "threads", "signatures/s", "p50", "p99", "max");
    out.flush();
  }

  /** Warms the key up, checks that it signs verifiably, then one row per thread count. */
  public List<Row> run(Key key) {
    Signer s = key.signer();
    TimedRun.run(maxThreads(), o.warmup(), (th, i) -> s.sign(message), "bench-signer");
    verify(key);
    List<Row> rows = new ArrayList<>();
    // A long reference (a PKCS#11 URI with its module path) gets a line of its own, uncut.
    String column = key.name().length() <= 44 ? key.name() : "";
    if (column.isEmpty()) {
      out.println("   " + key.name());
    }
    for (int threads : o.threads()) {
      TimedRun.Timed t = TimedRun.run(threads, o.duration(), (th, i) -> s.sign(message), "bench-signer");
      Row r = new Row(key.name(), s.algorithm(), threads, t.latency().count(), t.nanos(), t.latency());
      rows.add(r);
      out.printf(
          Locale.ROOT,
          "   %-44s %-30s %7d %,12.0f %10s %10s %10s%n",
          column,
          r.algorithm(),
          r.threads(),
          r.perSecond(),
          Latencies.millis(r.latency().p50()),
          Latencies.millis(r.latency().p99()),
          Latencies.millis(r.latency().max()));
      out.flush();
    }
    return rows;
  }

  private int maxThreads() {
    return o.threads().stream().mapToInt(Integer::intValue).max().orElse(1);
  }


  // A backend that answers fast with garbage would top the table: a figure counts only if the key
  // produces signatures that verify under its public key.
  private void verify(Key key) {
    SignatureAlgorithm a = key.signer().algorithm();
    byte[] sig = key.signer().sign(message);
    boolean ok;
    try {
      Signature v = Signature.getInstance(a.jcaName(), Proposals.BC);
      if (a.isPss()) {
        v.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
      }
      v.initVerify(key.signer().publicKey());
      v.update(message);
      ok = v.verify(sig);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "cannot verify a signature of " + key.name() + " (" + a + "): " + e, e);
    }
    if (!ok) {
      throw new IllegalStateException(
          key.name() + " (" + a + ") made a signature that does not verify under its public key");
    }
  }
}
