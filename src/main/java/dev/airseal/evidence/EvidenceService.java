package dev.airseal.evidence;

import dev.airseal.oci.ImageReference;
import dev.airseal.store.EvidenceBatch;
import dev.airseal.store.EvidenceStore;
import dev.airseal.verify.oci.ImageSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * The service's handle on the evidence store: image sources for the verifier, and change
 * notifications for whoever caches verdicts (admission). Writers that commit inside their own
 * transaction (imports) call {@link #committed} once that transaction has committed.
 */
@ApplicationScoped
public class EvidenceService {
  @Inject Instance<DataSource> dataSource;

  private final List<Consumer<EvidenceStore.Commit>> listeners = new CopyOnWriteArrayList<>();
  private volatile EvidenceStore store;

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
    for (Consumer<EvidenceStore.Commit> l : listeners) {
      l.accept(commit);
    }
  }

  /** Registers a listener called after every commit on this replica. */
  public void onCommit(Consumer<EvidenceStore.Commit> listener) {
    listeners.add(listener);
  }
}
