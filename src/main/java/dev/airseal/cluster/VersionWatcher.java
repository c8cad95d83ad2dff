package dev.airseal.cluster;

import dev.airseal.config.AirsealConfig;
import dev.airseal.store.VersionWatch;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.function.LongConsumer;
import javax.sql.DataSource;

/**
 * The service's one {@link VersionWatch}: a cache that depends on a version row (the evidence
 * store's {@code evidence_state}, say) registers here and hears every change, made by this replica
 * or another, within {@code airseal.cluster.watch-interval} at worst. Writers call {@link
 * VersionWatch#announce} in their transaction so other replicas hear it at once, and {@link
 * #poke()} after it commits so this one does.
 */
@ApplicationScoped
public class VersionWatcher {
  @Inject Instance<DataSource> dataSource;
  @Inject AirsealConfig config;

  private VersionWatch watch;

  /** Calls {@code listener} with the current version now and with every new one after. */
  public synchronized void watch(String name, String versionQuery, LongConsumer listener) {
    if (watch == null) {
      watch = new VersionWatch(dataSource.get(), config.cluster().watchInterval());
    }
    watch.watch(name, versionQuery, listener);
  }

  /** A change committed in this process: re-read the versions now. */
  public synchronized void poke() {
    if (watch != null) {
      watch.poke();
    }
  }

  synchronized void onStop(@Observes ShutdownEvent ev) {
    if (watch != null) {
      watch.close();
      watch = null;
    }
  }
}
