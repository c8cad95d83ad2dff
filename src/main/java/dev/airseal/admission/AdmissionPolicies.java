package dev.airseal.admission;

import dev.airseal.config.AirsealConfig;
import dev.airseal.evidence.EvidenceService;
import dev.airseal.policy.KyvernoPolicies;
import dev.airseal.policy.Policies;
import dev.airseal.policy.PolicyDocument;
import dev.airseal.policy.PolicyException;
import dev.airseal.store.EvidenceStore;
import dev.airseal.store.PolicyDocuments;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The active policy set, from three sources loaded together: {@code airseal.policy.dir} (watched
 * for changes), documents uploaded through the API, and documents carried in by imported bundles.
 * A set that fails to load leaves the previous good set active and the error visible; until a
 * first good set exists, admission of workloads is denied (fail closed).
 */
@ApplicationScoped
public class AdmissionPolicies {
  private static final Logger LOG = Logger.getLogger(AdmissionPolicies.class);

  @Inject AirsealConfig config;
  @Inject EvidenceService evidence;
  @Inject Instance<DataSource> dataSource;

  @ConfigProperty(name = "quarkus.http.host-enabled", defaultValue = "true")
  boolean listening;

  PolicyLoader loader = KyvernoPolicies::load;
  private volatile Policies current;
  private volatile String lastError;
  private volatile List<PolicyDocument> documents = List.of();
  private String dirFingerprint = "";
  private ScheduledExecutorService watcher;

  void onStart(@Observes @Priority(3500) StartupEvent ev) {
    if (!listening) {
      return;
    }
    evidence.onCommit(c -> {
      if (c.policies()) {
        reload("imported bundle");
      }
    });
    reload("start-up");
    if (config.policy().dir().isPresent()) {
      watcher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "policy-dir-watch");
        t.setDaemon(true);
        return t;
      });
      long ms = config.admission().policyReloadInterval().toMillis();
      watcher.scheduleWithFixedDelay(this::reloadIfDirChanged, ms, ms, TimeUnit.MILLISECONDS);
    }
  }

  void onStop(@Observes ShutdownEvent ev) {
    if (watcher != null) {
      watcher.shutdownNow();
    }
  }

  /** The active set; empty until one has loaded. */
  public Optional<Policies> current() {
    return Optional.ofNullable(current);
  }

  /** Why the last load failed (the previous set stays active); empty after a good load. */
  public Optional<String> lastError() {
    return Optional.ofNullable(lastError);
  }

  public List<PolicyDocument> documents() {
    return documents;
  }

  PolicyDocuments apiDocuments() {
    return new PolicyDocuments(dataSource.get());
  }

  private void reloadIfDirChanged() {
    try {
      String fp = directory().orElseThrow().fingerprint();
      if (!fp.equals(dirFingerprint)) {
        reload("policy directory changed");
      }
    } catch (IOException | RuntimeException e) {
      LOG.warnf("cannot read the policy directory: %s", e.getMessage());
    }
  }

  private Optional<PolicyDirectory> directory() {
    return config.policy().dir().map(d -> new PolicyDirectory(Path.of(d)));
  }

  /** Reads every source and loads the set; a failure keeps the previous set. */
  public synchronized void reload(String why) {
    try {
      Optional<PolicyDirectory> dir = directory();
      String fp = dir.isPresent() ? dir.get().fingerprint() : "";
      List<PolicyDocument> docs = collect(Optional.empty(), Optional.empty());
      Policies p = loader.load(docs);
      dirFingerprint = fp;
      boolean changed = current == null || !current.version().equals(p.version());
      current = p;
      documents = docs;
      lastError = null;
      if (changed) {
        LOG.infof("policies loaded (%s): version %s, %s", why, p.version(), p.names());
      }
    } catch (PolicyException e) {
      failed(why, e.getMessage());
    } catch (IOException | RuntimeException e) {
      failed(why, "cannot read policies: " + e.getMessage());
    }
  }

  private void failed(String why, String message) {
    lastError = message;
    directory().ifPresent(d -> {
      try {
        dirFingerprint = d.fingerprint(); // do not retry the same broken files every interval
      } catch (IOException e) {
        dirFingerprint = "";
      }
    });
    LOG.errorf("policies not reloaded (%s): %s; %s", why, message,
        current == null ? "no policy set is active: workload admissions are denied" : "version " + current.version() + " stays active");
  }

  /**
   * The set that would result from replacing ({@code put}) or removing ({@code remove}) one API
   * document; throws what would make it fail to load.
   */
  public Policies trial(Optional<PolicyDocument> put, Optional<String> remove) throws PolicyException, IOException {
    return loader.load(collect(put, remove));
  }

  private List<PolicyDocument> collect(Optional<PolicyDocument> put, Optional<String> remove) throws IOException {
    List<PolicyDocument> docs = new ArrayList<>();
    Optional<PolicyDirectory> dir = directory();
    if (dir.isPresent()) {
      docs.addAll(dir.get().read());
    }
    for (PolicyDocuments.Stored s : apiDocuments().all()) {
      if (put.map(p -> p.name().equals(s.name())).orElse(false) || remove.map(s.name()::equals).orElse(false)) {
        continue;
      }
      docs.add(new PolicyDocument(s.name(), "api", s.content()));
    }
    put.ifPresent(docs::add);
    for (EvidenceStore.StoredPolicy s : evidence.store().policies()) {
      docs.add(new PolicyDocument(s.name(), "bundle (evidence version " + s.version() + ")", s.content()));
    }
    return docs;
  }
}
