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
import org.jboss.logging.Logger;

/** The service's one log: opened at start-up with its key, closed (queue drained) at shutdown. */
@ApplicationScoped
public class RekorLog {
  private static final Logger LOG = Logger.getLogger(RekorLog.class);

  @Inject AirsealConfig config;
  @Inject Instance<DataSource> dataSource;
  @Inject LogMetrics metrics;

  private volatile TransparencyLog log;
  private volatile String logIdHex;
  private volatile Signer signer;

  void onStart(@Observes StartupEvent ev) {
    if (config.log().autostart()) {
      start();
    }
  }

  void onStop(@Observes ShutdownEvent ev) {
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
    log =
        TransparencyLog.open(
            new JdbcLogStore(dataSource.get()),
            signer,
            new TransparencyLog.Settings(
                c.hostname().orElseGet(RekorLog::machineHostname),
                c.batchSize(),
                c.batchMaxDelay(),
                c.maxPending(),
                c.tileCacheSize(),
                c.indexInterval()),
            (index, time, body) -> SignedEntryTimestamp.sign(signer, body, time, id, index),
            Clock.systemUTC());
    log.listener(metrics.sequencerListener());
    logIdHex = id;
    this.signer = signer;
    LOG.infof(
        "log %s open at size %d, log ID %s",
        log.origin(), log.published().tree().size(), logIdHex);
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
