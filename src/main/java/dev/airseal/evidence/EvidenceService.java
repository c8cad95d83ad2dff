package dev.airseal.evidence;

import dev.airseal.oci.ImageReference;
import dev.airseal.store.EvidenceBatch;
import dev.airseal.store.EvidenceStore;
import dev.airseal.verify.oci.ImageSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import dev.airseal.cluster.VersionWatcher;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * The service's handle on the evidence store: image sources for the verifier, and change
 * notifications for whoever caches verdicts (admission). Writers that commit inside their own
 * transaction (imports) call {@link #committed} once that transaction has committed; commits made
 * by other replicas reach the listeners through the {@link VersionWatcher}.
 */
@ApplicationScoped
public class EvidenceService {
  @Inject Instance<DataSource> dataSource;
  @Inject VersionWatcher watcher;

  private final List<Consumer<EvidenceStore.Commit>> listeners = new CopyOnWriteArrayList<>();
  private volatile EvidenceStore store;
  private final AtomicLong seen = new AtomicLong(-1);
  private boolean watching;

  public EvidenceStore store() {
    EvidenceStore s = store;
    if (s == null) {
      s = store = new EvidenceStore(dataSource.get());
    }
    return s;
  }

  /** Signatures of {@code image}'s repository ({@code registry/repository}) as stored here. */
  public ImageSource source(ImageReference image) {
    return new EvidenceImageSource(store(), image.context());
  }

  /** Commits a batch in its own transaction and tells the listeners. */
  public EvidenceStore.Commit commit(EvidenceBatch batch) {
    EvidenceStore.Commit c = store().commit(batch);
    committed(c);
    return c;
  }

  /** Tells the listeners about a commit made in a caller's transaction (call after it commits). */
  public void committed(EvidenceStore.Commit commit) {
    seen.accumulateAndGet(commit.version(), Math::max);
    watcher.poke();
    tell(commit);
  }

  private void tell(EvidenceStore.Commit commit) {
    for (Consumer<EvidenceStore.Commit> l : listeners) {
      l.accept(commit);
    }
  }

  /** Registers a listener called after every commit on this replica. */
  public synchronized void onCommit(Consumer<EvidenceStore.Commit> listener) {
    listeners.add(listener);
    if (!watching) {
      watching = true;
      // Commits on other replicas (one PostgreSQL, several appliances) arrive only as a new
      // version: whoever caches must then assume anything changed.
      watcher.watch(EvidenceStore.VERSION_NAME, EvidenceStore.VERSION_QUERY, v -> {
        long before = seen.getAndAccumulate(v, Math::max);
        if (before >= 0 && v > before) {
          tell(EvidenceStore.Commit.unknown(v));
        }
      });
    }
  }
}
