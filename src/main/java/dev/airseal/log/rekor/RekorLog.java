package dev.airseal.log.rekor;

import dev.airseal.config.AirsealConfig;
import dev.airseal.log.Hex;
import dev.airseal.log.TransparencyLog;
import dev.airseal.log.store.JdbcLogStore;
import dev.airseal.signing.Signer;
import dev.airseal.signing.Signers;
import dev.airseal.signing.soft.KeyFiles;
import dev.airseal.signing.soft.SoftwareSigner;
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
import java.nio.file.Path;
import java.time.Clock;
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

  private volatile TransparencyLog log;
  private volatile LogReplica replica;
  private volatile String logIdHex;
  private volatile Signer signer;

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
    Signer signer =
        metrics.metered(logSigner(), LogMetrics.backend(config.log().key().orElse("")));
    String id = Hex.encode(dev.airseal.log.Rfc6962.sha256(signer.publicKey().getEncoded()));
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
    dev.airseal.log.sequencer.Sequencer.EntrySigner sets =
        (index, time, body) -> SignedEntryTimestamp.sign(signer, body, time, id, index);
    logIdHex = id;
    this.signer = signer;
    if (!database.shared()) {
      log = TransparencyLog.open(store, signer, settings, sets, Clock.systemUTC());
      log.listener(metrics.sequencerListener());
      LOG.infof(
          "log %s open at size %d, log ID %s",
          log.origin(), log.published().tree().size(), logIdHex);
      return;
    }
    startReplica(store, signer, settings, sets);
  }

  // PostgreSQL: this is one of possibly several replicas; one leads (docs/ha.md).
  private void startReplica(
      JdbcLogStore store,
      Signer signer,
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
                store.head().ifPresent(h -> sameLog(h, signer, settings.hostname()));
                TransparencyLog l = TransparencyLog.open(store, signer, settings, sets, Clock.systemUTC());
                l.listener(metrics.sequencerListener());
                return l;
              }

              @Override
              public java.util.Optional<TransparencyLog> openFollower(TransparencyLog.Forwarder f) {
                store.head().ifPresent(h -> sameLog(h, signer, settings.hostname()));
                return TransparencyLog.follow(store, signer, settings, f);
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
        log.origin(), log.published().tree().size(), r.leading() ? "leader" : "follower", logIdHex);
  }

  // Replicas must share the log's key and host name: one that signed with another key would change
  // the log's identity under its clients. The stored head says which key and origin the log has.
  private static void sameLog(dev.airseal.log.TreeHead head, Signer signer, String hostname) {
    try {
      dev.airseal.log.checkpoint.Checkpoints.verify(
          head.checkpoint(),
          dev.airseal.log.note.NoteVerifier.fromPublicKey(hostname, signer.publicKey()),
          hostname + " - " + head.treeId());
    } catch (dev.airseal.log.note.NoteException e) {
      throw new IllegalStateException(
          "the shared tree head was not signed by this replica's log key as "
              + hostname + " (" + e.getMessage() + "): every replica needs the same airseal.log.key"
              + " and airseal.log.hostname",
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

  /** The log's key as the log signs with it (metered): for health checks. */
  public Signer signer() {
    log();
    return signer;
  }

  public String logIdHex() {
    log();
    return logIdHex;
  }
}
