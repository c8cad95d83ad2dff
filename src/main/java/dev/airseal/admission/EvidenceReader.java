package dev.airseal.admission;

import dev.airseal.oci.Digest;
import dev.airseal.oci.ImageReference;
import dev.airseal.store.EvidenceBatch;
import dev.airseal.store.EvidenceStore;
import dev.airseal.verify.oci.ImageSource;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Admission's view of the evidence: the store, with tag maps, subject versions and revocations
 * memoised in memory (a warm admission reads no database), and, when a site mirror is configured,
 * the mirror for digests the store knows nothing about, read within the request's deadline and
 * cached into the store. Every commit drops the memos, so the next request reads what it wrote.
 */
public final class EvidenceReader {
  private static final Logger LOG = Logger.getLogger(EvidenceReader.class);
  // A registry that had nothing is not asked again for this long: unsigned images are the common
  // denial and must not cost a registry round trip each.
  private static final Duration NEGATIVE_TTL = Duration.ofSeconds(30);

  private final EvidenceStore store;
  private final Function<ImageReference, ImageSource> sources;
  private final Optional<MirrorReader> mirror;
  private final Consumer<EvidenceBatch> commit;
  private final ExecutorService mirrorPool;

  private final Map<String, Optional<Digest>> tags = new ConcurrentHashMap<>();
  private final Map<String, Long> subjects = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();
  private final Map<String, Long> mirrorMisses = new ConcurrentHashMap<>();
  private volatile Revocations revocations;

  public EvidenceReader(
      EvidenceStore store, Function<ImageReference, ImageSource> sources, Optional<MirrorReader> mirror,
      Consumer<EvidenceBatch> commit, ExecutorService mirrorPool) {
    this.store = store;
    this.sources = sources;
    this.mirror = mirror;
    this.commit = commit;
    this.mirrorPool = mirrorPool;
  }

  public boolean hasMirror() {
    return mirror.isPresent();
  }

  /** After any commit: what it touched may read differently now. */
  public void committed(EvidenceStore.Commit c) {
    tags.clear();
    if (c.subjects().isEmpty()) {
      subjects.clear();
    }
    for (EvidenceBatch.Subject s : c.subjects()) {
      subjects.remove(subjectKey(s.repository(), s.digest()));
      mirrorMisses.remove(subjectKey(s.repository(), s.digest()));
    }
    if (c.revocations()) {
      revocations = null;
    }
  }

  public Revocations revocations() {
    Revocations r = revocations;
    if (r == null) {
      r = revocations = new Revocations(store.revocations());
    }
    return r;
  }

  /** The revocations if they are in memory, else null. */
  public Revocations revocationsInMemory() {
    return revocations;
  }

  /** What {@link #resolve} would answer, if memory alone can say it; else null. */
  public Optional<Digest> resolveInMemory(ImageReference image) {
    Optional<Digest> d = tags.get(tagKey(image));
    return d == null || (d.isEmpty() && mirror.isPresent()) ? null : d;
  }

  /** What {@link #subjectVersion} would answer, if memory alone can say it; else null. */
  public Long subjectVersionInMemory(ImageReference image, Digest digest) {
    Long v = subjects.get(subjectKey(image.context(), digest));
    return v == null || (v == 0 && mirror.isPresent()) ? null : v;
  }

  public ImageSource source(ImageReference image) {
    return RevokedSignerFilter.wrap(sources.apply(image), revocations());
  }

  /** The digest {@code image}'s tag points at: the store's tag map, else the mirror's tag. */
  public Optional<Digest> resolve(ImageReference image, Deadline deadline) {
    String key = tagKey(image);
    Optional<Digest> d = tags.computeIfAbsent(key, k -> store.tag(image.context(), image.tag()));
    if (d.isPresent() || mirror.isEmpty()) {
      return d;
    }
    Optional<Digest> found = await("tag:" + key, deadline, () -> {
      Optional<Digest> r = mirror.get().resolve(image);
      if (r.isPresent()) {
        commit.accept(new EvidenceBatch().tag(image.context(), image.tag(), r.get()));
      }
    }) ? store.tag(image.context(), image.tag()) : Optional.empty();
    found.ifPresent(f -> tags.put(key, found));
    return found;
  }

  /**
   * The evidence version of {@code digest} in {@code image}'s repository, first fetching from the
   * mirror what it holds if the store has nothing (0: no evidence at all).
   */
  public long subjectVersion(ImageReference image, Digest digest, Deadline deadline) {
    String key = subjectKey(image.context(), digest);
    long v = subjects.computeIfAbsent(key, k -> store.subjectVersion(image.context(), digest));
    if (v != 0 || mirror.isEmpty()) {
      return v;
    }
    Long missedAt = mirrorMisses.get(key);
    if (missedAt != null && System.nanoTime() - missedAt < NEGATIVE_TTL.toNanos()) {
      return 0;
    }
    boolean done = await("evidence:" + key, deadline, () -> {
      Optional<EvidenceBatch> b = mirror.get().collect(image, digest);
      if (b.isPresent()) {
        commit.accept(b.get());
      } else {
        mirrorMisses.put(key, System.nanoTime());
      }
    });
    if (!done) {
      return 0;
    }
    subjects.remove(key);
    return subjects.computeIfAbsent(key, k -> store.subjectVersion(image.context(), digest));
  }

  // The memo keys: the in-memory answers and the store-backed ones must read the same entries.
  private static String tagKey(ImageReference image) {
    return image.context() + ":" + image.tag();
  }

  private static String subjectKey(String repository, Digest digest) {
    return repository + "@" + digest;
  }

  interface MirrorWork {
    void run() throws Exception;
  }

  // Runs mirror work on the pool and waits at most until the deadline. Work that overruns keeps
  // going (and caches what it finds for the next request, the API server retries) but this request
  // decides without it.
  private boolean await(String key, Deadline deadline, MirrorWork work) {
    CompletableFuture<Void> f = inFlight.computeIfAbsent(key, k -> CompletableFuture.runAsync(() -> {
      try {
        work.run();
      } catch (Exception e) {
        LOG.warnf("site registry %s: %s: %s", mirror.get().host(), key, e.getMessage());
        throw new IllegalStateException(e);
      }
    }, mirrorPool));
    f.whenComplete((r, e) -> inFlight.remove(key, f));
    try {
      f.get(deadline.remainingNanos(), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      LOG.warnf("site registry %s did not answer %s within the admission deadline", mirror.get().host(), key);
      return false;
    } catch (ExecutionException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
