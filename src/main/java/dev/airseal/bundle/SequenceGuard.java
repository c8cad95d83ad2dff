package dev.airseal.bundle;

import dev.airseal.store.TransferImports;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The replay, rollback, chain and lifetime rules of docs/bundle-format.md ("Import"): a bundle's
 * sequence must exceed the producer's last imported one; the next sequence must name the last
 * bundle as its previous; a gap is allowed but reported; an expired bundle is refused.
 */
public final class SequenceGuard {
  private SequenceGuard() {}

  /**
   * Returns notes for the report (gaps); throws when the bundle must be refused. {@code skew} is
   * how far the producer's clock and the site's may disagree ({@code airseal.verify.clock-skew}):
   * tolerated on both ends of the bundle's lifetime.
   */
  public static List<String> check(
      Optional<TransferImports.Head> head, TransferStatement s, Instant now, Duration skew)
      throws TransferRejectedException {
    if (skew.isNegative()) {
      throw new IllegalArgumentException("airseal.verify.clock-skew must not be negative: " + skew);
    }
    if (now.minus(skew).isAfter(s.expires())) {
      throw new TransferRejectedException(
          "bundle expired at " + s.expires() + " (now " + now + ", tolerated skew " + skew + ")");
    }
    if (s.created().isAfter(now.plus(skew))) {
      throw new TransferRejectedException(
          "bundle was created at " + s.created() + ", in the future (now " + now + ", tolerated skew " + skew + ")");
    }
    List<String> notes = new ArrayList<>();
    if (head.isEmpty()) {
      if (s.sequence() > 1) {
        notes.add("first bundle imported from producer " + s.producer() + " has sequence " + s.sequence()
            + ": sequences 1.." + (s.sequence() - 1) + " were never imported here");
      }
      return notes;
    }
    TransferImports.Head h = head.get();
    if (s.sequence() <= h.sequence()) {
      throw new TransferRollbackException(s.producer(), h.sequence(), s.sequence());
    }
    if (s.sequence() == h.sequence() + 1) {
      String prev = s.previous().map(Object::toString).orElse("none");
      if (!prev.equals(h.bundleDigest())) {
        throw new TransferRejectedException("hash chain broken: bundle " + s.sequence() + " names previous " + prev
            + ", but the last imported bundle of " + s.producer() + " (sequence " + h.sequence() + ") is "
            + h.bundleDigest());
      }
    } else {
      notes.add("gap: sequences " + (h.sequence() + 1) + ".." + (s.sequence() - 1) + " of producer " + s.producer()
          + " were never imported here; the hash chain resumes unchecked");
    }
    return notes;
  }
}
