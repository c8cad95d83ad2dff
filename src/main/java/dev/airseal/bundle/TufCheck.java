package dev.airseal.bundle;

import dev.airseal.store.TransferImports;
import dev.airseal.tuf.TufHashes;
import dev.airseal.tuf.client.TufException;
import dev.airseal.tuf.client.TufVerifier;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The upstream-TUF rules of docs/bundle-format.md: the carried metadata goes through the TUF client
 * workflow from the site's trusted upstream root (the installed {@code airseal.bundle.tuf-root}, or
 * the highest root a bundle brought since), with expiry judged at the bundle's signed creation time,
 * and versions below the stored ones refused as a rollback.
 */
final class TufCheck {
  /** The verified target, the state to store, and what to tell the operator. */
  record Result(byte[] target, TransferImports.TufChange change, List<String> notes) {}

  private TufCheck() {}

  /**
   * @param anchor the installed upstream root.json, if the site has one
   * @param stored the state accepted before under an anchor (its SHA-256 hex)
   */
  static Optional<Result> check(OpenedBundle b, Optional<byte[]> anchor,
      Function<String, Optional<TransferImports.UpstreamTuf>> stored, Instant now)
      throws TransferRejectedException {
    TransferStatement s = b.statement();
    if (s.tuf().isEmpty()) {
      return Optional.empty();
    }
    if (anchor.isEmpty()) {
      throw new TransferRejectedException("the bundle carries upstream TUF metadata, and this site has no trusted"
          + " upstream TUF root: install the upstream root.json and set airseal.bundle.tuf-root"
          + " (docs/runbooks/usb-import.md), or create the bundle without --tuf-mirror");
    }
    TransferStatement.UpstreamTuf t = s.tuf().get();
    String id = TufHashes.sha256Hex(anchor.get());
    Optional<TransferImports.UpstreamTuf> before = stored.apply(id);
    TufVerifier.Trusted trusted = before
        .map(x -> new TufVerifier.Trusted(x.rootJson().getBytes(StandardCharsets.UTF_8), x.timestampVersion(),
            x.snapshotVersion(), x.targetsVersion()))
        .orElse(new TufVerifier.Trusted(anchor.get(), 0, 0, 0));
    List<byte[]> roots = new ArrayList<>();
    t.roots().forEach(d -> roots.add(b.blob(d).orElseThrow()));
    TufVerifier.Result r;
    try {
      r = TufVerifier.verify(trusted, new TufVerifier.Carried(roots, b.blob(t.timestamp()).orElseThrow(),
          b.blob(t.snapshot()).orElseThrow(), b.blob(t.targets()).orElseThrow(), t.targetName(),
          b.blob(t.target()).orElseThrow()), s.created());
    } catch (TufException e) {
      throw new TransferRejectedException("upstream TUF metadata: " + e.getMessage());
    }
    List<String> notes = new ArrayList<>();
    for (String n : r.notes()) {
      notes.add("upstream TUF: " + n);
    }
    notes.add("upstream TUF: expiry checked against the bundle's creation time " + s.created()
        + " (when the producer fetched), not the site clock");
    TransferImports.UpstreamTuf next = new TransferImports.UpstreamTuf(id, r.rootVersion(),
        new String(r.root(), StandardCharsets.UTF_8), r.timestamp(), r.snapshot(), r.targets(), s.producer(),
        s.sequence(), now.toEpochMilli());
    return Optional.of(new Result(r.target(), new TransferImports.TufChange(next, before), notes));
  }
}
