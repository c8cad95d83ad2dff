package dev.airseal.log.rekor;

import dev.airseal.log.sequencer.Sequencer;
import dev.airseal.signing.SignatureAlgorithm;
import dev.airseal.signing.Signer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.security.PublicKey;
import java.util.concurrent.TimeUnit;

/**
 * The log's meters. The log core only calls plain listeners ({@link Sequencer.Listener}, {@link
 * Signer}); this bean turns those calls into Micrometer meters, which Quarkus serves at /q/metrics.
 * Every name is listed in docs/operations.md.
 */
@ApplicationScoped
public class LogMetrics {
  @Inject MeterRegistry registry;
  @Inject RekorLog rekorLog;

  void registerGauges(@Observes StartupEvent ev) {
    Gauge.builder("airseal.log.size", rekorLog, LogMetrics::treeSize)
        .description("Entries in the published tree (NaN while the log is not running)")
        .register(registry);
    Gauge.builder("airseal.cluster.leader", rekorLog, LogMetrics::leader)
        .description("1 while this replica sequences the log (on an embedded database: while the log runs), else 0")
        .register(registry);
    Gauge.builder("airseal.cluster.term", rekorLog, LogMetrics::term)
        .description("Leadership term this replica leads in or follows (0 on an embedded database)")
        .register(registry);
  }

  // Without a replica the database is embedded: this process is the only sequencer there is.
  private static double leader(RekorLog r) {
    LogReplica replica = r.replica();
    if (replica != null) {
      return replica.leading() ? 1 : 0;
    }
    return Double.isNaN(treeSize(r)) ? 0 : 1;
  }

  private static double term(RekorLog r) {
    LogReplica replica = r.replica();
    return replica == null ? 0 : replica.term();
  }

  private static double treeSize(RekorLog r) {
    try {
      return r.log().published().tree().size();
    } catch (IllegalStateException e) {
      return Double.NaN;
    }
  }

  /** Counts and times appends and batches as the sequencer reports them. */
  Sequencer.Listener sequencerListener() {
    Counter created = appends("created");
    Counter duplicate = appends("duplicate");
    Counter refused = appends("refused");
    Counter failed = appends("failed");
    Timer latency =
        Timer.builder("airseal.log.append.latency")
            .description("From submission to the sequencer until the entry is durable and published")
            .publishPercentileHistogram()
            .register(registry);
    DistributionSummary batchSize =
        DistributionSummary.builder("airseal.log.batch.size")
            .description("Entries taken from the queue per batch")
            .baseUnit("entries")
            .register(registry);
    Timer commit =
        Timer.builder("airseal.log.batch.commit")
            .description("Store commit of one batch, including its sync to disk")
            .publishPercentileHistogram()
            .register(registry);
    return new Sequencer.Listener() {
      @Override
      public void created(long nanos) {
        created.increment();
        latency.record(nanos, TimeUnit.NANOSECONDS);
      }

      @Override
      public void duplicate() {
        duplicate.increment();
      }

      @Override
      public void refused() {
        refused.increment();
      }

      @Override
      public void failed(int entries) {
        failed.increment(entries);
      }

      @Override
      public void batch(int size, int appended, long commitNanos) {
        batchSize.record(size);
        if (appended > 0) {
          commit.record(commitNanos, TimeUnit.NANOSECONDS);
        }
      }
    };
  }

  /**
   * A proposed entry's own check (schema, and the signature over its artifact) passed or failed:
   * the service's only verification; bundles are verified by the CLI, client-side.
   */
  void entryChecked(boolean valid) {
    // Looked up once: registering builds and hashes the meter's ID, on every append otherwise.
    Counter c = valid ? validChecks : invalidChecks;
    if (c == null) {
      c = Counter.builder("airseal.log.entry.verifications")
          .description("Proposed entries checked before sequencing, by result")
          .tag("result", valid ? "valid" : "invalid")
          .register(registry);
      if (valid) {
        validChecks = c;
      } else {
        invalidChecks = c;
      }
    }
    c.increment();
  }

  private volatile Counter validChecks;
  private volatile Counter invalidChecks;

  private Counter appends(String result) {
    return Counter.builder("airseal.log.appends")
        .description("Append requests that reached the sequencer, by result")
        .tag("result", result)
        .register(registry);
  }

  /** {@code signer}, timed and its failures counted under {@code backend} (soft, pkcs11, awskms). */
  Signer metered(Signer signer, String backend) {
    Timer latency =
        Timer.builder("airseal.signer.latency")
            .description("One signature by the log key")
            .tag("backend", backend)
            .publishPercentileHistogram()
            .register(registry);
    Counter errors =
        Counter.builder("airseal.signer.errors")
            .description("Signatures the log key's backend failed to make")
            .tag("backend", backend)
            .register(registry);
    return new Signer() {
      @Override
      public PublicKey publicKey() {
        return signer.publicKey();
      }

      @Override
      public SignatureAlgorithm algorithm() {
        return signer.algorithm();
      }

      @Override
      public byte[] sign(byte[] message) {
        long start = System.nanoTime();
        try {
          return signer.sign(message);
        } catch (RuntimeException e) {
          errors.increment();
          throw e;
        } finally {
          latency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
      }
    };
  }

  static String backend(String keyUri) {
    if (keyUri.startsWith("pkcs11:")) {
      return "pkcs11";
    }
    if (keyUri.startsWith("awskms:")) {
      return "awskms";
    }
    return "soft";
  }
}
