package dev.airseal.bundle;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.store.EvidenceStore;
import dev.airseal.store.TransferImports;
import dev.airseal.trust.TrustRootException;
import dev.airseal.trust.TrustedRoot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The import: read and verify everything first (signature, sequence and chain, every blob, every
 * piece of evidence), record the transfer envelope in the site's log, then commit the evidence,
 * the import record, a carried trust root and the audit event in one transaction. A refused
 * bundle writes nothing but its audit event.
 */
public final class TransferImporter {
  /** Appends the transfer envelope to the site's log; returns its log index. */
  public interface Log {
    long append(byte[] envelope, PublicKey signer) throws IOException;
  }

  /** Pushes carried images into the site registry before the import commits. */
  public interface Pusher {
    void push(OpenedBundle bundle, List<TransferStatement.Image> images) throws IOException;
  }

  public record CurrentRoot(int version, TrustedRoot root) {}

  /**
   * @param strict refuse the whole bundle if any image's evidence fails (default: exclude it)
   */
  public record Options(String actor, boolean strict, Optional<Pusher> pusher) {}

  private final TransferImports store;
  private final BundleLimits limits;
  private final Log log;
  private final Supplier<Optional<CurrentRoot>> root;
  private final int threads;
  private final Clock clock;
  private final java.util.function.Consumer<EvidenceStore.Commit> onCommit;
  private final Path spoolRoot;
  private final java.time.Duration clockSkew;
  private Supplier<Optional<byte[]>> tufRoot = Optional::empty;

  /**
   * @param clockSkew tolerated disagreement of the producer's, the logs' and the site's clocks
   * @param onCommit told about each committed evidence batch, after its transaction (verdict caches)
   * @param spoolRoot where image blobs wait, digest-checked, for a push: on the data disk, since
   *     {@code /tmp} may be a tmpfs and a carried image can be larger than memory
   */
  public TransferImporter(TransferImports store, BundleLimits limits, Log log, Supplier<Optional<CurrentRoot>> root,
      int threads, Clock clock, java.time.Duration clockSkew,
      java.util.function.Consumer<EvidenceStore.Commit> onCommit, Path spoolRoot) {
    this.clockSkew = clockSkew;
    this.onCommit = onCommit;
    this.spoolRoot = spoolRoot;
    this.store = store;
    this.limits = limits;
    this.log = log;
    this.root = root;
    this.threads = threads;
    this.clock = clock;
  }

  /**
   * The site's trusted upstream TUF root ({@code airseal.bundle.tuf-root}); without one, bundles
   * carrying TUF metadata are refused.
   */
  public TransferImporter withTufRoot(Supplier<Optional<byte[]>> root) {
    this.tufRoot = root;
    return this;
  }

  /** Outcomes that end the import early, with what the report needs. */
  private static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message);
    }
  }

  public ImportReport importBundle(InputStream in, Options o) throws IOException {
    List<TransferKey> keys = new ArrayList<>();
    for (TransferImports.Key k : store.keys(true)) {
      keys.add(new TransferKey(k.producer(), TransferKey.parsePem(k.publicKeyPem())));
    }
    BundleReader reader;
    try {
      reader = BundleReader.open(in, limits, keys);
    } catch (BundleFormatException | TransferRejectedException e) {
      return reject(o, "unknown", e.getMessage(), Optional.empty(), "", "");
    }
    TransferStatement s = reader.statement();
    String subject = s.producer() + "/" + s.sequence();
    String digest = reader.bundleDigest().toString();
    Optional<TransferImports.Record> before = store.byDigest(digest);
    if (before.isPresent()) {
      String msg = "bundle " + digest + " was already imported (" + before.get().producer() + " sequence "
          + before.get().sequence() + ", at " + Instant.ofEpochMilli(before.get().importedAt())
          + "); nothing changed";
      store.audit(o.actor(), subject, "noop", detail(msg, digest, ""));
      return new ImportReport("noop", msg, Optional.of(s), digest, "", before.get().logIndex(),
          before.get().evidenceVersion(), Optional.empty(), List.of(), List.of(), 0);
    }
    Instant now = clock.instant();
    Optional<TransferImports.Head> head = store.head(s.producer());
    Path spool = null;
    if (o.pusher().isPresent()) {
      Files.createDirectories(spoolRoot);
      spool = Files.createTempDirectory(spoolRoot, "import-");
    }
    try {
      List<String> notes = SequenceGuard.check(head, s, now, clockSkew);
      long t0 = System.nanoTime();
      OpenedBundle b = reader.readBlobs(Optional.ofNullable(spool));
      long t1 = System.nanoTime();
      CurrentRoot current = root.get().orElseThrow(() -> new Refused("the site has no trust root yet: run 'trust init'"));
      TrustedRoot verifyWith = current.root();
      Optional<TransferImports.TrustRootChange> change = Optional.empty();
      if (s.trustedRoot().isPresent()) {
        TrustedRoot carried = TrustedRoot.parse(b.blob(s.trustedRoot().get()).orElseThrow());
        verifyWith = TrustRootMerge.merge(verifyWith, carried);
      }
      // A TUF-verified trusted root is merged exactly as a plain carried one.
      Optional<byte[]> anchor = Optional.empty();
      if (s.tuf().isPresent()) {
        try {
          anchor = tufRoot.get();
        } catch (java.io.UncheckedIOException e) {
          throw new Refused(e.getMessage());
        }
      }
      Optional<TufCheck.Result> tuf = TufCheck.check(b, anchor, store::upstreamTuf, now);
      if (tuf.isPresent()) {
        TrustedRoot carried;
        try {
          carried = TrustedRoot.parse(tuf.get().target());
        } catch (TrustRootException e) {
          throw new Refused("the TUF target " + s.tuf().get().targetName() + " verified but is not a trusted root: "
              + e.getMessage());
        }
        verifyWith = TrustRootMerge.merge(verifyWith, carried);
      }
      if (!verifyWith.equals(current.root())) {
        change = Optional.of(new TransferImports.TrustRootChange(current.version(), verifyWith.toJson(),
            "carried by transfer bundle " + subject + " (" + digest + ")"
                + (tuf.isPresent() ? ", TUF-verified" : "")));
      }
      // Before the evidence: a rolled-back or forked upstream log refuses the bundle outright.
      UpstreamCheck.Result upstream = UpstreamCheck.check(b, verifyWith, store::upstreamCheckpoint, now, clockSkew);
      notes = new ArrayList<>(notes);
      notes.addAll(upstream.notes());
      if (tuf.isPresent()) {
        notes.addAll(tuf.get().notes());
      }
      Optional<TransferImports.TufChange> tufChange = tuf.map(TufCheck.Result::change);
      EvidenceCheck.Result check = EvidenceCheck.verify(b, verifyWith, now, clockSkew, threads);
      long t2 = System.nanoTime();
      List<EvidenceCheck.ImageReport> excluded = check.excluded();
      if (o.strict() && !excluded.isEmpty()) {
        return rejectWith(o, subject, "strict import: " + excluded.size() + " of " + check.images().size()
            + " images have evidence that does not verify", Optional.of(s), digest, b.fileDigest(), check.images());
      }
      Optional<Map<String, String>> rotate = Optional.empty();
      if (!s.transferKeys().isEmpty()) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String pem : s.transferKeys()) {
          PublicKey k = TransferKey.parsePem(pem);
          m.put(TransferKey.keyId(k), TransferKey.toPem(k));
        }
        rotate = Optional.of(m);
      }
      List<TransferStatement.Image> accepted = new ArrayList<>();
      for (int i = 0; i < s.images().size(); i++) {
        if (check.images().get(i).accepted()) {
          accepted.add(s.images().get(i));
        }
      }
      if (o.pusher().isPresent()) {
        try {
          o.pusher().get().push(b, accepted);
        } catch (IOException e) {
          // Before anything is logged or committed: the operator fixes the registry and retries.
          return rejectWith(o, subject, "pushing to the site registry failed, nothing was imported: "
              + (e.getMessage() != null ? e.getMessage() : e.toString()), Optional.of(s), digest, b.fileDigest(),
              check.images());
        }
      }
      long index = log.append(b.envelope(), b.signer().key());
      TransferImports.Record rec = new TransferImports.Record(s.producer(), s.sequence(), digest,
          s.previous().map(Object::toString).orElse(null), b.fileDigest(), b.signer().keyId(), now.toEpochMilli(),
          o.actor(), index, -1, s.images().size(), excluded.size(), "");
      double mbps = b.imageNanos() == 0 ? 0 : b.imageBytes() / 1e6 / (b.imageNanos() / 1e9);
      ImportReport ok = new ImportReport("ok", "imported " + (s.images().size() - excluded.size()) + " of "
          + s.images().size() + " images", Optional.of(s), digest, b.fileDigest(), index, -1,
          change.map(c -> c.basedOn() + 1), notes, check.images(), mbps);
      rec = new TransferImports.Record(rec.producer(), rec.sequence(), rec.bundleDigest(), rec.previousDigest(),
          rec.fileDigest(), rec.keyId(), rec.importedAt(), rec.actor(), rec.logIndex(), -1, rec.images(),
          rec.excluded(), ok.toJson().toString());
      EvidenceStore.Commit commit;
      try {
        commit = store.commit(rec, head.map(TransferImports.Head::sequence), check.batch(), change, rotate,
            upstream.changes(), tufChange, detail("committed", digest, b.fileDigest()));
      } catch (IllegalStateException e) {
        return reject(o, subject, e.getMessage(), Optional.of(s), digest, b.fileDigest());
      }
      onCommit.accept(commit);
      long t3 = System.nanoTime();
      notes = new ArrayList<>(notes);
      notes.add(String.format("timings: read and digest-check %.2f s, verify %.2f s, log and commit %.2f s",
          (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9));
      return new ImportReport("ok", ok.message(), ok.statement(), digest, b.fileDigest(), index, commit.version(),
          ok.trustRootVersion(), notes, check.images(), mbps);
    } catch (BundleFormatException | TransferRejectedException | Refused e) {
      return reject(o, subject, e.getMessage(), Optional.of(s), digest, "");
    } catch (TrustRootException e) {
      return reject(o, subject, "carried trust root does not parse: " + e.getMessage(), Optional.of(s), digest, "");
    } finally {
      if (spool != null) {
        try (Stream<Path> files = Files.walk(spool)) {
          files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }

  /** The last import's result, for callers that need the committed evidence version. */
  private ImportReport reject(Options o, String subject, String message, Optional<TransferStatement> s, String digest,
      String file) {
    return rejectWith(o, subject, message, s, digest, file, List.of());
  }

  private ImportReport rejectWith(Options o, String subject, String message, Optional<TransferStatement> s,
      String digest, String file, List<EvidenceCheck.ImageReport> images) {
    store.audit(o.actor(), subject, "rejected", detail(message, digest, file));
    ImportReport r = ImportReport.rejected(message, s, digest, file);
    return new ImportReport(r.outcome(), r.message(), r.statement(), digest, file, -1, -1, Optional.empty(), List.of(),
        images, 0);
  }

  private static String detail(String message, String digest, String file) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("message", message);
    n.put("bundleDigest", digest);
    n.put("fileDigest", file);
    return n.toString();
  }
}
