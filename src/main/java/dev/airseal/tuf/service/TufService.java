package dev.airseal.tuf.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airseal.config.AirsealConfig;
import dev.airseal.signing.Signer;
import dev.airseal.signing.Signers;
import dev.airseal.signing.soft.KeyFiles;
import dev.airseal.signing.soft.SoftwareSigner;
import dev.airseal.store.AuditLog;
import dev.airseal.trust.service.TrustRootService;
import dev.airseal.tuf.Expiries;
import dev.airseal.tuf.TufKey;
import dev.airseal.tuf.TufRepository;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * The site's TUF repository: its targets are the current {@code trusted_root.json} and signing
 * config, published anew whenever the trust root changes; timestamp, snapshot and targets are
 * re-signed before they expire, both lazily (on every request for {@code timestamp.json} or
 * {@code root.json}) and by a background task, so an exported or copied repository is fresh too.
 */
@ApplicationScoped
public class TufService {
  private static final Logger LOG = Logger.getLogger(TufService.class);
  static final String TRUSTED_ROOT = "trusted_root.json";
  static final String SIGNING_CONFIG = "signing_config.v0.2.json";

  @Inject AirsealConfig config;
  @Inject TrustRootService trust;
  @Inject ObjectMapper json;
  @Inject Instance<DataSource> dataSource;

  // Replaced by tests that need metadata signed at another time.
  Clock clock = Clock.systemUTC();

  private TufRepository repo;
  private Signer online;
  // Empty when the configured root key is not the latest root's: the repository still serves, but
  // neither extends nor rotates the root.
  private Optional<Signer> rootKey = Optional.empty();
  private ScheduledExecutorService scheduler;

  /** Key IDs and versions, for the status endpoint. */
  public record Status(int root, int targets, int snapshot, int timestamp, List<String> rootKeyIds,
      List<String> onlineKeyIds, boolean rootKeyAvailable) {}

  // After the trust root's first version exists (TrustRootService observes at 3000).
  void onStart(@Observes @Priority(3100) StartupEvent ev) {
    if (config.tuf().enabled() && config.log().autostart()) {
      open();
      long every = config.tuf().refreshInterval().toMillis();
      scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tuf-refresh");
        t.setDaemon(true);
        return t;
      });
      scheduler.scheduleWithFixedDelay(this::refreshQuietly, every, every, TimeUnit.MILLISECONDS);
    }
  }

  void onStop(@Observes ShutdownEvent ev) {
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
  }

  synchronized void open() {
    Path data = Path.of(config.dataDir());
    repo = new TufRepository(data.resolve("tuf/repository"), new Expiries(
        config.tuf().rootExpiry(), config.tuf().targetsExpiry(), config.tuf().snapshotExpiry(),
        config.tuf().timestampExpiry()), clock);
    try {
      if (!repo.initialised()) {
        Signer root = openKey(config.tuf().rootKey(), data.resolve("keys/tuf-root.pem"));
        online = openKey(config.tuf().onlineKey(), data.resolve("keys/tuf-online.pem"));
        repo.init(root, online);
        rootKey = Optional.of(root);
        LOG.infof("TUF root version 1 created: root key %s, online key %s",
            TufKey.of(root).keyId(), TufKey.of(online).keyId());
      } else {
        online = findKey(config.tuf().onlineKey(), data, "tuf-online", TufRepository.TIMESTAMP)
            .orElseThrow(() -> new IllegalStateException("no configured or stored key is the online key of TUF root version "
                + repo.version(TufRepository.ROOT) + " (timestamp keys " + repo.keyIds(TufRepository.TIMESTAMP)
                + "); set airseal.tuf.online-key to it"));
        rootKey = findKey(config.tuf().rootKey(), data, "tuf-root", TufRepository.ROOT);
        if (rootKey.isEmpty()) {
          LOG.warnf("the root key of TUF root version %d (%s) is not available here: the root will be neither "
              + "extended nor rotated", repo.version(TufRepository.ROOT), repo.keyIds(TufRepository.ROOT));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the TUF keys", e);
    }
    refresh();
  }

  private static Signer openKey(Optional<String> uri, Path defaultFile) throws IOException {
    return uri.isPresent() ? Signers.fromUri(uri.get()) : new SoftwareSigner(KeyFiles.loadOrCreateEcKey(defaultFile));
  }

  // The configured key if the latest root names it for role, else the software key file that it names.
  private Optional<Signer> findKey(Optional<String> uri, Path data, String prefix, String role) throws IOException {
    if (uri.isPresent()) {
      Signer s = Signers.fromUri(uri.get());
      return repo.signs(role, s) ? Optional.of(s) : Optional.empty();
    }
    Path keys = data.resolve("keys");
    if (!Files.isDirectory(keys)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.list(keys)) {
      for (Path p : files.sorted().toList()) {
        String n = p.getFileName().toString();
        if (n.startsWith(prefix) && n.endsWith(".pem")) {
          Signer s = new SoftwareSigner(KeyFiles.readKeyPair(p));
          if (repo.signs(role, s)) {
            return Optional.of(s);
          }
        }
      }
    }
    return Optional.empty();
  }

  /** Whether the repository is open (enabled and started). */
  public boolean enabled() {
    return repo != null;
  }

  /**
   * The repository after publishing a changed trust root and re-signing what is in the last half
   * of its lifetime.
   */
  public synchronized TufRepository fresh() {
    refresh();
    return repo;
  }

  /** The repository as it is: for immutable, versioned files. */
  public TufRepository repository() {
    return repo;
  }

  private void refreshQuietly() {
    try {
      fresh();
    } catch (RuntimeException e) {
      // The next run, or the next request, tries again; until then clients see the last version.
      LOG.error("TUF refresh failed", e);
    }
  }

  private synchronized void refresh() {
    targets().ifPresent(t -> {
      if (repo.publish(t, online)) {
        LOG.infof("TUF targets version %d published (trust root changed)", repo.version(TufRepository.TARGETS));
      }
    });
    List<String> resigned = repo.refresh(rootKey, online);
    if (!resigned.isEmpty()) {
      LOG.debugf("TUF re-signed %s", resigned);
    }
  }

  private Optional<Map<String, byte[]>> targets() {
    return trust.current().map(c -> {
      Map<String, byte[]> t = new LinkedHashMap<>();
      // The very bytes GET /api/v1/trust-root serves.
      t.put(TRUSTED_ROOT, c.stored().document());
      try {
        t.put(SIGNING_CONFIG, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(trust.signingConfig(json)));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
      return t;
    });
  }

  /**
   * Root rotation: a new root version naming a new root key (and, if given, a new online key),
   * signed by the old root key and the new one so that clients holding the old root accept it.
   *
   * @param newRootKey key URI of the new root key; empty means a new software key in the data
   *     directory
   * @param newOnlineKey key URI of a new online key; empty keeps the current one
   */
  public synchronized Status rotateRoot(Optional<String> newRootKey, Optional<String> newOnlineKey, String actor, String reason) {
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("a root rotation needs a reason; it is audited");
    }
    Signer oldRoot = rootKey.orElseThrow(() -> new IllegalStateException(
        "the root key of TUF root version " + repo.version(TufRepository.ROOT) + " is not available here; "
            + "set airseal.tuf.root-key to it"));
    int next = repo.version(TufRepository.ROOT) + 1;
    Signer newRoot;
    Signer newOnline;
    try {
      newRoot = newRootKey.isPresent() ? Signers.fromUri(newRootKey.get())
          : new SoftwareSigner(KeyFiles.loadOrCreateEcKey(Path.of(config.dataDir()).resolve("keys/tuf-root-v" + next + ".pem")));
      newOnline = newOnlineKey.isPresent() ? Signers.fromUri(newOnlineKey.get()) : online;
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot open the new key: " + e.getMessage(), e);
    }
    String from = TufKey.of(oldRoot).keyId();
    repo.rotateRoot(oldRoot, newRoot, newOnline);
    rootKey = Optional.of(newRoot);
    online = newOnline;
    new AuditLog(dataSource.get()).append("tuf", actor, "root v" + next, "rotated",
        reason + " (root key " + from + " -> " + TufKey.of(newRoot).keyId() + ", online key " + TufKey.of(newOnline).keyId() + ")");
    LOG.infof("TUF root version %d: root key %s, online key %s (%s)", next, TufKey.of(newRoot).keyId(),
        TufKey.of(newOnline).keyId(), reason);
    return status();
  }

  /** The fresh repository as {@link TufRepository#exportTarGz}, taken whole under the lock. */
  public synchronized byte[] exportTarGz() {
    refresh();
    var out = new java.io.ByteArrayOutputStream();
    try {
      repo.exportTarGz(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  public synchronized Status status() {
    return new Status(repo.version(TufRepository.ROOT), repo.version(TufRepository.TARGETS),
        repo.version(TufRepository.SNAPSHOT), repo.version(TufRepository.TIMESTAMP),
        repo.keyIds(TufRepository.ROOT), repo.keyIds(TufRepository.TIMESTAMP), rootKey.isPresent());
  }
}
