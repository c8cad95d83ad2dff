package dev.airseal.bench;

import dev.airseal.log.InclusionProof;
import dev.airseal.log.LogProofException;
import dev.airseal.log.TransparencyLog;
import dev.airseal.log.TreeHead;
import dev.airseal.log.TreeSnapshot;
import dev.airseal.log.store.JdbcLogStore;
import dev.airseal.signing.Signer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Inclusion-proof latency on a large tree: bulk-load {@code size} leaves, close the database, open
 * the log on it again (cold H2 cache, empty tile cache), then time single-threaded
 * {@code published().tree().proofs().inclusion(i, size)} for random {@code i}. Every timed proof is
 * verified afterwards against the signed root.
 */
public final class ProofBench {
  private ProofBench() {}

  public record Result(
      long size,
      long loadNanos,
      long dbBytes,
      long openNanos,
      Latencies cold,
      Latencies warm,
      int verified,
      double tileReadsPerProof) {}

  public static Result run(
      Path dir,
      long size,
      int proofs,
      int warmup,
      int bulkBatch,
      boolean viaStore,
      TransparencyLog.Settings settings,
      Signer signer) {
    long t0 = System.nanoTime();
    TreeHead loaded;
    try (BenchDatabase db = BenchDatabase.create(dir)) {
      JdbcLogStore store = new JdbcLogStore(db.dataSource());
      loaded =
          BulkLoader.load(
              store,
              viaStore ? store::commit : BulkLoader.direct(db.dataSource()),
              signer,
              size,
              bulkBatch);
    }
    long loadNanos = System.nanoTime() - t0;
    long dbBytes = BenchDatabase.sizeOf(dir);

    try (BenchDatabase db = BenchDatabase.create(dir)) {
      CountingStore store = new CountingStore(new JdbcLogStore(db.dataSource()));
      long o0 = System.nanoTime();
      try (TransparencyLog log =
          TransparencyLog.open(
              store, signer, settings, (index, time, body) -> new byte[0], Clock.systemUTC())) {
        long openNanos = System.nanoTime() - o0;
        TreeHead head = log.published().head();
        if (head.size() != size || !java.util.Arrays.equals(head.root(), loaded.root())) {
          throw new IllegalStateException(
              "reopened log has size " + head.size() + ", want " + size);
        }
        SplittableRandom random = new SplittableRandom(size);
        int coldCount = Math.min(proofs, 1000);
        long[] cold = new long[coldCount];
        long[] coldIdx = new long[coldCount];
        List<byte[]>[] coldProofs = time(log, size, random, cold, coldIdx);
        for (int i = 0; i < warmup; i++) {
          log.published().tree().proofs().inclusion(random.nextLong(size), size);
        }
        long reads0 = store.tileReads();
        long[] warm = new long[proofs];
        long[] warmIdx = new long[proofs];
        List<byte[]>[] warmProofs = time(log, size, random, warm, warmIdx);
        double readsPerProof = (double) (store.tileReads() - reads0) / proofs;
        int verified =
            verify(coldIdx, coldProofs, size, head.root()) + verify(warmIdx, warmProofs, size, head.root());
        return new Result(
            size,
            loadNanos,
            dbBytes,
            openNanos,
            Latencies.of(cold),
            Latencies.of(warm),
            verified,
            readsPerProof);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static List<byte[]>[] time(
      TransparencyLog log, long size, SplittableRandom random, long[] nanos, long[] indexes) {
    List<byte[]>[] out = new List[nanos.length];
    for (int i = 0; i < nanos.length; i++) {
      long idx = random.nextLong(size);
      long t = System.nanoTime();
      TreeSnapshot tree = log.published().tree();
      out[i] = tree.proofs().inclusion(idx, size);
      nanos[i] = System.nanoTime() - t;
      indexes[i] = idx;
    }
    return out;
  }

  private static int verify(long[] indexes, List<byte[]>[] proofs, long size, byte[] root) {
    for (int i = 0; i < indexes.length; i++) {
      try {
        InclusionProof.verify(indexes[i], size, BulkLoader.leafHash(indexes[i]), proofs[i], root);
      } catch (LogProofException e) {
        throw new IllegalStateException(
            "proof for leaf " + indexes[i] + " of " + size + " does not verify: " + e.getMessage(), e);
      }
    }
    return indexes.length;
  }
}
