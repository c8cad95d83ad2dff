package dev.airseal.bundle.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.bundle.BundleLimits;
import dev.airseal.bundle.ImportReport;
import dev.airseal.bundle.RegistryPusher;
import dev.airseal.bundle.TransferImporter;
import dev.airseal.bundle.TransferKey;
import dev.airseal.bundle.TransferStatement;
import dev.airseal.config.AirsealConfig;
import dev.airseal.evidence.EvidenceService;
import dev.airseal.log.rekor.RekorLog;
import dev.airseal.log.rekor.kind.CanonicalEntry;
import dev.airseal.log.rekor.kind.EntryTypes;
import dev.airseal.log.rekor.kind.InvalidEntryException;
import dev.airseal.log.sequencer.DuplicateEntryException;
import dev.airseal.log.sequencer.EntryDraft;
import dev.airseal.oci.RegistryClient;
import dev.airseal.oci.RegistryOptions;
import dev.airseal.store.TransferImports;
import dev.airseal.trust.service.TrustRootService;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/** Imports on this replica, one at a time; trusted transfer keys and their audited changes. */
@ApplicationScoped
public class BundleService {
  private static final Logger LOG = Logger.getLogger(BundleService.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  @Inject AirsealConfig config;
  @Inject Instance<DataSource> dataSource;
  @Inject RekorLog rekorLog;
  @Inject TrustRootService trust;
  @Inject EvidenceService evidence;
  @Inject io.micrometer.core.instrument.MeterRegistry meters;

  // One import at a time: imports are rare, large and each moves a producer's chain head.
  private final ReentrantLock importing = new ReentrantLock();

  // After the trust root exists (3000): imports verify against it.
  void onStart(@Observes @Priority(3100) StartupEvent ev) throws IOException {
    if (!config.log().autostart()) {
      return;
    }
    // Spools left by an import that was killed: nothing refers to them.
    deleteTree(spoolRoot());
    for (String entry : config.bundle().transferKeys().orElse(List.of())) {
      int eq = entry.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("airseal.bundle.transfer-keys entry \"" + entry
            + "\" must be producer=/path/to/key.pub");
      }
      String producer = entry.substring(0, eq).strip();
      if (!TransferStatement.PRODUCER.matcher(producer).matches()) {
        throw new IllegalArgumentException("airseal.bundle.transfer-keys: bad producer name \"" + producer + "\"");
      }
      PublicKey key = TransferKey.parsePem(Files.readString(Path.of(entry.substring(eq + 1).strip())));
      if (store().addKey(TransferKey.keyId(key), producer, TransferKey.toPem(key), "airseal",
          "installed from airseal.bundle.transfer-keys")) {
        LOG.infof("trusting transfer key %s for producer %s", TransferKey.keyId(key), producer);
      }
    }
  }

  public TransferImports store() {
    return new TransferImports(dataSource.get());
  }

  public BundleLimits limits() {
    AirsealConfig.Bundle b = config.bundle();
    return new BundleLimits(b.maxBytes(), b.maxRatio(), b.maxEntries(), b.maxEvidenceBytes(),
        BundleLimits.defaults().maxEvidenceBlob());
  }

  /** Imports one bundle; {@code pushTo} is a registry host to copy carried images into. */
  public ImportReport importBundle(InputStream in, String actor, boolean strict, Optional<String> pushTo,
      boolean allowHttpRegistry) throws IOException {
    int threads = config.bundle().verifyThreads() > 0 ? config.bundle().verifyThreads()
        : Runtime.getRuntime().availableProcessors();
    TransferImporter importer = new TransferImporter(store(), limits(), this::log,
        () -> trust.current().map(c -> new TransferImporter.CurrentRoot(c.version(), c.root())), threads,
        Clock.systemUTC(), config.verify().clockSkew(), evidence::committed, spoolRoot()).withTufRoot(this::tufRoot);
    Optional<TransferImporter.Pusher> pusher = pushTo.map(r -> new RegistryPusher(
        new RegistryClient(new RegistryOptions(allowHttpRegistry, false, Optional.empty())), r));
    importing.lock();
    String outcome = "error";
    try {
      ImportReport r = importer.importBundle(in, new TransferImporter.Options(actor, strict, pusher));
      outcome = r.outcome();
      LOG.infof("bundle import by %s: %s %s", actor, r.outcome(), r.message());
      return r;
    } finally {
      meters.counter("airseal.bundle.imports", "result", outcome).increment();
      importing.unlock();
    }
  }

  private Path spoolRoot() {
    return Path.of(config.dataDir(), "import-spool");
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (java.util.stream.Stream<Path> files = Files.walk(root)) {
      for (Path p : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }

  // Read at each import, so an operator installs or replaces it without a restart.
  private Optional<byte[]> tufRoot() {
    Optional<String> path = config.bundle().tufRoot();
    if (path.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(java.nio.file.Files.readAllBytes(java.nio.file.Path.of(path.get())));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("airseal.bundle.tuf-root " + path.get() + " cannot be read: "
          + e.getMessage(), e);
    }
  }

  // The transfer envelope as a dsse 0.0.1 entry: what crossed the gap is in the site's own log.
  private long log(byte[] envelope, PublicKey signer) throws IOException {
    ObjectNode e = JSON.createObjectNode();
    e.put("apiVersion", "0.0.1");
    e.put("kind", "dsse");
    ObjectNode pc = e.putObject("spec").putObject("proposedContent");
    pc.put("envelope", new String(envelope, StandardCharsets.UTF_8));
    pc.putArray("verifiers").add(Base64.getEncoder().encodeToString(
        TransferKey.toPem(signer).getBytes(StandardCharsets.US_ASCII)));
    CanonicalEntry c;
    try {
      c = EntryTypes.canonicalize(e);
    } catch (InvalidEntryException x) {
      throw new IOException("the transfer envelope is not a valid dsse entry: " + x.getMessage(), x);
    }
    try {
      return rekorLog.log().append(EntryDraft.of(c.kind(), c.apiVersion(), c.body(), c.indexKeys()))
          .get(60, TimeUnit.SECONDS).entry().index();
    } catch (ExecutionException x) {
      if (x.getCause() instanceof DuplicateEntryException d) {
        // A retried import (after a crash between logging and committing) reuses its entry.
        return d.existingIndex();
      }
      throw new IOException("cannot log the transfer envelope: " + x.getCause(), x.getCause());
    } catch (InterruptedException x) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while logging the transfer envelope", x);
    } catch (TimeoutException x) {
      throw new IOException("the log did not integrate the transfer envelope within 60 s", x);
    }
  }
}
