package dev.airseal.log.rekor;

import dev.airseal.log.Hex;
import dev.airseal.log.LogKeys;
import dev.airseal.log.Rfc6962;
import dev.airseal.signing.Signer;
import dev.airseal.trust.TlogInstance;
import dev.airseal.trust.TrustedRoot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which keys the log has, as the trust root says: the entries for this log (one per key, the same
 * base URL) in the order of their windows, each with the signer this replica holds for it. The
 * trust root is the record of a rotation, so a restart signs with the key the root names as
 * current, not with whichever key the configuration still names.
 */
final class LogKeySelection {
  private LogKeySelection() {}

  /**
   * @param candidates the keys this replica can sign with: the configured one first, then rotated
   *     software keys from the data directory
   */
  static LogKeys select(List<Signer> candidates, Optional<TrustedRoot> root) {
    Signer configured = candidates.get(0);
    if (root.isEmpty()) {
      return LogKeys.of(configured);
    }
    Optional<TlogInstance> known =
        candidates.stream()
            .map(s -> root.get().tlogByLogId(Rfc6962.sha256(s.publicKey().getEncoded())))
            .flatMap(Optional::stream)
            .findFirst();
    if (known.isEmpty()) {
      // A root that does not name the log yet (created before this key, or by hand): the
      // configured key is the log's only key, as before there was a trust root.
      return LogKeys.of(configured);
    }
    String baseUrl = known.get().baseUrl();
    List<TlogInstance> family = new ArrayList<>(
        root.get().tlogs().stream().filter(t -> t.baseUrl().equals(baseUrl)).toList());
    family.sort(Comparator.comparing(t -> t.validFor().start()));
    List<LogKeys.Epoch> epochs = new ArrayList<>();
    for (TlogInstance t : family) {
      String id = Hex.encode(t.logId());
      Optional<Signer> held = candidates.stream()
          .filter(s -> Hex.encode(Rfc6962.sha256(s.publicKey().getEncoded())).equals(id))
          .findFirst();
      epochs.add(new LogKeys.Epoch(t.validFor().start().getEpochSecond(), t.publicKey(), id, held));
    }
    return LogKeys.of(epochs);
  }

  /** Why a replica cannot sign for the log, or empty when it holds the current key. */
  static Optional<String> missingCurrentKey(LogKeys keys, String configured) {
    LogKeys.Epoch cur = keys.current();
    if (cur.signer().isPresent()) {
      return Optional.empty();
    }
    return Optional.of(
        "the trust root names log key " + cur.logIdHex() + " as current (rotated in), but this"
            + " replica holds only " + configured + ": set airseal.log.key to the key the log was"
            + " rotated to (or restore its file under <data-dir>/keys/log-key-*.pem)");
  }
}
