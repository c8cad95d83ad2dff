package dev.airseal.admission;

import dev.airseal.oci.Digest;
import dev.airseal.policy.CheckResult;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Check results by everything they depend on: the image as written and its digest, the policy set
 * version and which check of it, the evidence version of that subject and the trust-root version.
 * A change to any of them is a different key, so a stale verdict can never be served; commits and
 * trust changes also drop what they touch to free the memory at once.
 */
public final class VerdictCache {
  /** @param occurrence which of the image's checks from the same policy and rule (0 for the first) */
  public record Key(
      String image, Digest digest, String policyVersion, String policy, String rule, int occurrence,
      long evidenceVersion, int trustVersion) {}

  private final ConcurrentHashMap<Key, CheckResult> map = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Key, CompletableFuture<CheckResult>> inFlight = new ConcurrentHashMap<>();
  private final int maxEntries;
  final LongAdder hits = new LongAdder();
  final LongAdder misses = new LongAdder();
  /** Misses answered by another request's verification in flight. */
  final LongAdder shared = new LongAdder();

  public VerdictCache(int maxEntries) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("cache size must be at least 1, got " + maxEntries);
    }
    this.maxEntries = maxEntries;
  }

  public CheckResult get(Key k) {
    CheckResult r = map.get(k);
    (r == null ? misses : hits).increment();
    return r;
  }

  /** The cached result, counted as a hit, or null (not counted: the caller goes on to {@link #get}). */
  public CheckResult hit(Key k) {
    CheckResult r = map.get(k);
    if (r != null) {
      hits.increment();
    }
    return r;
  }

  /**
   * The result for {@code k}, computed by {@code verify} unless another request is computing it
   * right now, in which case this one waits for that result: a rollout admits many pods of one
   * image at once, and one verification serves them all.
   */
  public CheckResult verifyOnce(Key k, Supplier<CheckResult> verify) {
    CompletableFuture<CheckResult> mine = new CompletableFuture<>();
    CompletableFuture<CheckResult> other = inFlight.putIfAbsent(k, mine);
    if (other != null) {
      shared.increment();
      try {
        return other.join();
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException re ? re : e;
      }
    }
    try {
      // It may have finished between our miss and our claim.
      CheckResult r = map.get(k);
      if (r == null) {
        r = verify.get();
        put(k, r);
      }
      mine.complete(r);
      return r;
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      inFlight.remove(k, mine);
    }
  }

  public void put(Key k, CheckResult r) {
    if (map.size() >= maxEntries) {
      // Crude but lock-free: drop about a tenth. Entries are cheap to recompute from the store.
      Iterator<Key> it = map.keySet().iterator();
      for (int i = maxEntries / 10 + 1; i > 0 && it.hasNext(); i--) {
        it.next();
        it.remove();
      }
    }
    map.put(k, r);
  }

  /** Drops verdicts about {@code digest} (evidence for it changed). */
  public void invalidate(Digest digest) {
    map.keySet().removeIf(k -> k.digest().equals(digest));
  }

  public void clear() {
    map.clear();
  }

  public int size() {
    return map.size();
  }
}
