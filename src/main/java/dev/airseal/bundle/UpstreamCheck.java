package dev.airseal.bundle;

import dev.airseal.store.TransferImports;
import dev.airseal.trust.TrustedRoot;
import dev.airseal.verify.TrustedCheckpoint;
import dev.airseal.verify.UpstreamLogException;
import dev.airseal.verify.UpstreamLogs;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The upstream-log rules of docs/bundle-format.md: each carried checkpoint is signed by a log key
 * of the trust root and extends the checkpoint of that log the site imported last (same root at the
 * same size, a consistency proof from that size to a larger one). The first checkpoint of a log is
 * trusted on its signature alone, and the report says so.
 */
final class UpstreamCheck {
  /** What to store with the import, and what to tell the operator. */
  record Result(List<TransferImports.UpstreamChange> changes, List<String> notes) {}

  /** The width of upstream_checkpoint.origin (V9). */
  static final int MAX_ORIGIN = 512;

  private UpstreamCheck() {}

  /**
   * @param stored the site's last imported checkpoint of a log, by origin
   * @param clockSkew how far the producer's fetch time may lie after its creation time
   * @throws TransferRejectedException when a checkpoint must not be accepted: the whole bundle is refused
   */
  static Result check(OpenedBundle b, TrustedRoot root,
      Function<String, Optional<TransferImports.UpstreamCheckpoint>> stored, Instant now, java.time.Duration clockSkew)
      throws TransferRejectedException, BundleFormatException {
    TransferStatement s = b.statement();
    List<TransferImports.UpstreamChange> changes = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    Set<String> origins = new HashSet<>();
    for (TransferStatement.UpstreamCheckpoint c : s.checkpoints()) {
      if (c.fetched().isAfter(s.created().plus(clockSkew))) {
        throw new BundleFormatException("checkpoint of " + c.url() + " was fetched at " + c.fetched()
            + ", after the bundle was created (" + s.created() + ")");
      }
      String note = new String(b.blob(c.checkpoint()).orElseThrow(), StandardCharsets.UTF_8);
      TrustedCheckpoint next;
      try {
        next = UpstreamLogs.open(note, root, c.fetched());
      } catch (UpstreamLogException e) {
        throw new TransferRejectedException("upstream log " + c.url() + ": " + e.getMessage());
      }
      if (next.origin().length() > MAX_ORIGIN) {
        throw new BundleFormatException("checkpoint of " + c.url() + " has an origin line of " + next.origin().length()
            + " characters, above the limit of " + MAX_ORIGIN);
      }
      if (!origins.add(next.origin())) {
        throw new BundleFormatException("the bundle carries two checkpoints of upstream log \"" + next.origin() + "\"");
      }
      Optional<ConsistencyProofBlob> proof = Optional.empty();
      if (c.proof().isPresent()) {
        proof = Optional.of(ConsistencyProofBlob.parse(b.blob(c.proof().get()).orElseThrow()));
        if (proof.get().lastSize() != next.size()) {
          throw new BundleFormatException("consistency proof of " + c.url() + " ends at size " + proof.get().lastSize()
              + ", its checkpoint is at size " + next.size());
        }
      }
      TransferImports.UpstreamCheckpoint row = new TransferImports.UpstreamCheckpoint(next.origin(), next.size(),
          HexFormat.of().formatHex(next.rootHash()), note, c.url(), s.producer(), s.sequence(), now.toEpochMilli());
      Optional<TransferImports.UpstreamCheckpoint> last = stored.apply(next.origin());
      if (last.isEmpty()) {
        changes.add(new TransferImports.UpstreamChange(row, Optional.empty()));
        notes.add("upstream log \"" + next.origin() + "\": first checkpoint (size " + next.size()
            + ") accepted on its signature by " + next.logBaseUrl() + " alone (trust on first use)");
        continue;
      }
      long size1 = last.get().treeSize();
      List<byte[]> hashes = List.of();
      if (next.size() > size1 && size1 > 0) {
        if (proof.isEmpty()) {
          throw new TransferRejectedException("upstream log \"" + next.origin() + "\": the site last imported its"
              + " checkpoint at size " + size1 + ", and this bundle carries size " + next.size()
              + " without a consistency proof (create it with --upstream-log-from " + c.url() + "=" + size1 + ")");
        }
        if (proof.get().firstSize() != size1) {
          throw new TransferRejectedException("upstream log \"" + next.origin() + "\": the bundle proves consistency"
              + " from size " + proof.get().firstSize() + ", but the site last imported its checkpoint at size "
              + size1 + " (create the bundle with --upstream-log-from " + c.url() + "=" + size1 + ")");
        }
        hashes = proof.get().hashes();
      }
      try {
        UpstreamLogs.extend(size1, HexFormat.of().parseHex(last.get().rootHash()), next, hashes);
      } catch (UpstreamLogException e) {
        throw new TransferRejectedException(e.getMessage());
      }
      if (next.size() == size1) {
        notes.add("upstream log \"" + next.origin() + "\": unchanged at size " + size1);
      } else {
        changes.add(new TransferImports.UpstreamChange(row, Optional.of(size1)));
        notes.add("upstream log \"" + next.origin() + "\": consistent from size " + size1 + " to " + next.size());
      }
    }
    return new Result(changes, notes);
  }
}
