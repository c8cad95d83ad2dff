package dev.airseal.log.rekor;

import dev.airseal.config.AirsealConfig;
import dev.airseal.log.Hex;
import dev.airseal.log.LogKeys;
import dev.airseal.log.TransparencyLog;
import dev.airseal.log.store.JdbcLogStore;
import dev.airseal.signing.Signer;
import dev.airseal.signing.Signers;
import dev.airseal.signing.soft.KeyFiles;
import dev.airseal.signing.soft.SoftwareSigner;
import dev.airseal.store.TrustRootVersions;
import dev.airseal.trust.TrustRootException;
import dev.airseal.trust.TrustedRoot;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** The service's one log: opened at start-up with its key, closed (queue drained) at shutdown. */
@ApplicationScoped
public class RekorLog {
  private static final Logger LOG = Logger.getLogger(RekorLog.class);

  @Inject AirsealConfig config;
  @Inject Instance<DataSource> dataSource;
  @Inject LogMetrics metrics;
  @Inject dev.airseal.cluster.SelectedDataSource database;
  @Inject com.fasterxml.jackson.databind.ObjectMapper json;

  @ConfigProperty(name = "quarkus.http.port", defaultValue = "8080")
  int httpPort;

  // Software keys a rotation created: <data-dir>/keys/log-key-<first second>.pem.
  static final String ROTATED_KEY_FILES = "log-key-*.pem";
  private static final long FOLLOWER_KEY_RELOAD_MILLIS = 5_000;

  private volatile TransparencyLog log;
  private volatile LogReplica replica;
  private volatile LogKeys keys;
  private volatile long keysLoadedAt;
  private volatile List<Signer> candidates;

  void onStart(@Observes StartupEvent ev) {
    if (config.log().autostart()) {
      start();
    }
  }

  void onStop(@Observes ShutdownEvent ev) {
    LogReplica r = replica;
    if (r != null) {
      r.close();
      return;
    }
    TransparencyLog l = log;
    if (l != null) {
      l.close();
    }
  }

  synchronized void start() {
    if (log != null) {
      return;
    }
    candidates = candidateSigners();
    keys = LogKeySelection.select(candidates, trustRoot());
    keysLoadedAt = System.currentTimeMillis();
    AirsealConfig.Log c = config.log();
    TransparencyLog.Settings settings =
        new TransparencyLog.Settings(
            c.hostname().orElseGet(RekorLog::machineHostname),
            c.batchSize(),
            c.batchMaxDelay(),
            c.maxPending(),
            c.tileCacheSize(),
            c.indexInterval());
    JdbcLogStore store = new JdbcLogStore(dataSource.get());
    // Each SET by the key of its integration second, the key its batch's checkpoint is signed with.
    dev.airseal.log.sequencer.Sequencer.EntrySigner sets =
        (index, time, body) -> {
          LogKeys.Epoch e = keys.at(time);
          return SignedEntryTimestamp.sign(e.requireSigner(), body, time, e.logIdHex(), index);
        };
    if (!database.shared()) {
      LogKeySelection.missingCurrentKey(keys, configuredKeyName()).ifPresent(m -> {
        throw new IllegalStateException(m);
      });
      TransparencyLog opened = TransparencyLog.open(store, this::keys, settings, sets, Clock.systemUTC());
      opened.listener(metrics.sequencerListener());
      // Before clients can reach the log: index 0 must be the genesis entry's.
      genesis(opened);
      log = opened;
      LOG.infof(
          "log %s open at size %d, log ID %s; ECDSA by %s",
          log.origin(), log.published().tree().size(), logIdHex(), dev.airseal.crypto.AwsLc.engine());
      return;
    }
    startReplica(store, settings, sets);
  }

  // A new log takes index 0 itself (GenesisEntry says why); a log with entries is left as it is.
  private void genesis(TransparencyLog l) {
    if (!config.log().genesisEntry()) {
      return;
    }
    Signer signer = keys.current().requireSigner();
    GenesisEntry.appendIfEmpty(l, signer)
        .ifPresentOrElse(
            i -> LOG.infof("log %s started with its genesis entry at index %d", l.origin(), i),
            () -> {
              if (l.published().tree().size() == 0) {
                LOG.infof("log %s starts empty: its %s key cannot sign a hashedrekord genesis entry",
                    l.origin(), signer.algorithm());
              }
            });
  }

  // The configured key (or the first-start software key), then keys a rotation created here.
  private List<Signer> candidateSigners() {
    List<Signer> out = new ArrayList<>();
    out.add(metrics.metered(logSigner(), LogMetrics.backend(config.log().key().orElse(""))));
    Path dir = Path.of(config.dataDir(), "keys");
    if (Files.isDirectory(dir)) {
      try (var files = Files.newDirectoryStream(dir, ROTATED_KEY_FILES)) {
        for (Path f : files) {
          out.add(metrics.metered(new SoftwareSigner(KeyFiles.readKeyPair(f)), "soft"));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the rotated log keys in " + dir, e);
      }
    }
    return out;
  }

  private Optional<TrustedRoot> trustRoot() {
    return new TrustRootVersions(dataSource.get()).current().map(v -> {
      try {
        return TrustedRoot.parse(v.document());
      } catch (TrustRootException e) {
        throw new IllegalStateException("stored trust root version " + v.version() + " does not parse", e);
      }
    });
  }

  private String configuredKeyName() {
    return config.log().key().map(Signers::redact).orElse("<data-dir>/keys/log-key.pem");
  }

  /**
   * The log's keys. A follower re-reads them from the trust root every few seconds, so entries the
   * leader signed with a key rotated in after this replica started carry the right log ID here too.
   */
  public LogKeys keys() {
    LogKeys k = keys;
    TransparencyLog l = log;
    if (l != null && !l.sequencing() && System.currentTimeMillis() - keysLoadedAt > FOLLOWER_KEY_RELOAD_MILLIS) {
      keysLoadedAt = System.currentTimeMillis();
      try {
        k = LogKeySelection.select(candidates, trustRoot());
        keys = k;
      } catch (RuntimeException e) {
        // A database hiccup must not fail reads: the keys known so far serve until the next try.
        LOG.warnf("cannot re-read the log keys from the trust root: %s", e.toString());
      }
    }
    return k;
  }

  /**
   * Starts signing with {@code next} for entries integrated at {@code fromSecond} or later; returns
   * the keys before, for {@link #undoRotation} should recording the rotation fail. Only the
   * replica that sequences signs, so only it rotates.
   */
  public synchronized LogKeys rotate(Signer next, String keyUri, long fromSecond) {
    if (!log().sequencing()) {
      throw new IllegalStateException(
          "this replica follows; rotate the log key on the leader (table cluster_leader names it, see docs/ha.md)");
    }
    LogKeys before = keys;
    keys = before.then(fromSecond, metrics.metered(next, LogMetrics.backend(keyUri)));
    return before;
  }

  /** Goes back to {@code before} if the keys are still what {@link #rotate} made of them. */
  public synchronized void undoRotation(LogKeys before, long fromSecond) {
    if (keys.current().fromSecond() == fromSecond) {
      keys = before;
    }
  }

  // PostgreSQL: this is one of possibly several replicas; one leads (docs/ha.md).
  private void startReplica(
      JdbcLogStore store,
      TransparencyLog.Settings settings,
      dev.airseal.log.sequencer.Sequencer.EntrySigner sets) {
    AirsealConfig.Cluster cc = config.cluster();
    String url =
        cc.advertisedUrl().orElseGet(() -> "http://" + machineHostname() + ":" + httpPort);
    String name = url + " pid " + ProcessHandle.current().pid();
    LogReplica r =
        new LogReplica(
            name,
            url,
            new dev.airseal.store.LeaderLock(dataSource.get(), dev.airseal.store.LeaderLock.LOG_SEQUENCER),
            new dev.airseal.store.LeaderRecord(dataSource.get()),
            new LogReplica.Logs() {
              @Override
              public TransparencyLog openLeader() {
                // The keys as the trust root has them now: a rotation on the last leader counts,
                // and so does a rotated key file copied into this data directory since start.
                candidates = candidateSigners();
                keys = LogKeySelection.select(candidates, trustRoot());
                keysLoadedAt = System.currentTimeMillis();
                LogKeySelection.missingCurrentKey(keys, configuredKeyName()).ifPresent(m -> {
                  throw new IllegalStateException(m);
                });
                store.head().ifPresent(h -> sameLog(h, keys, settings.hostname()));
                TransparencyLog l = TransparencyLog.open(store, RekorLog.this::keys, settings, sets, Clock.systemUTC());
                l.listener(metrics.sequencerListener());
                genesis(l);
                return l;
              }

              @Override
              public java.util.Optional<TransparencyLog> openFollower(TransparencyLog.Forwarder f) {
                store.head().ifPresent(h -> sameLog(h, keys, settings.hostname()));
                return TransparencyLog.follow(store, RekorLog.this::keys, settings, f);
              }

              @Override
              public void publish(TransparencyLog l) {
                log = l;
              }
            },
            cc.electionInterval(),
            cc.followInterval(),
            cc.forwardTimeout(),
            json);
    replica = r;
    r.start(java.time.Duration.ofSeconds(60));
    LOG.infof(
        "log %s open at size %d as %s, log ID %s",
        log.origin(), log.published().tree().size(), r.leading() ? "leader" : "follower", logIdHex());
  }

  // Replicas must share the log's keys and host name: one that signed with another key would change
  // the log's identity under its clients. The stored head says which key and origin the log has; a
  // head signed before a rotation carries a key the trust root lists for this log, which counts.
  private static void sameLog(dev.airseal.log.TreeHead head, LogKeys keys, String hostname) {
    List<dev.airseal.log.note.NoteVerifier> verifiers = new ArrayList<>();
    for (LogKeys.Epoch e : keys.epochs()) {
      verifiers.add(dev.airseal.log.note.NoteVerifier.fromPublicKey(hostname, e.publicKey()));
    }
    try {
      dev.airseal.log.checkpoint.Checkpoints.verify(head.checkpoint(), verifiers, hostname + " - " + head.treeId());
    } catch (dev.airseal.log.note.NoteException e) {
      throw new IllegalStateException(
          "the shared tree head was not signed by any of this log's keys (" + keys.epochs().size()
              + ", per the trust root) as " + hostname + " (" + e.getMessage() + "): every replica"
              + " needs the same airseal.log.key and airseal.log.hostname",
          e);
    }
  }

  /** This replica's part in a shared log, or null on an embedded database. */
  LogReplica replica() {
    return replica;
  }

  // Empty: a software P-256 key generated on first start (0600) under the data directory.
  // Otherwise any key reference a signer understands: a PEM file, pkcs11:..., awskms://...
  private Signer logSigner() {
    String uri = config.log().key().orElse("");
    try {
      if (uri.isEmpty()) {
        return new SoftwareSigner(
            KeyFiles.loadOrCreateEcKey(Path.of(config.dataDir(), "keys", "log-key.pem")));
      }
      return Signers.fromUri(uri);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the log key " + Signers.redact(uri), e);
    }
  }

  static String machineHostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "airseal";
    }
  }

  public TransparencyLog log() {
    TransparencyLog l = log;
    if (l == null) {
      throw new IllegalStateException("the log is not running");
    }
    return l;
  }

  /** The log's current key as the log signs with it (metered): for health checks. */
  public Signer signer() {
    log();
    return keys().current().requireSigner();
  }

  /** The current key's log ID. */
  public String logIdHex() {
    log();
    return keys().current().logIdHex();
  }

  /** The log ID of the key that signed entries integrated at {@code epochSecond}. */
  public String logIdHexAt(long epochSecond) {
    log();
    return keys().at(epochSecond).logIdHex();
  }
}
