package dev.airseal.verify;

import dev.airseal.log.Hex;
import dev.airseal.log.InclusionProof;
import dev.airseal.log.LogProofException;
import dev.airseal.log.Rfc6962;
import dev.airseal.log.checkpoint.Checkpoint;
import dev.airseal.log.checkpoint.Checkpoints;
import dev.airseal.log.note.NoteException;
import dev.airseal.log.note.NoteSignature;
import dev.airseal.log.note.SignedNote;
import dev.airseal.log.note.NoteVerifier;
import dev.airseal.log.rekor.SignedEntryTimestamp;
import dev.airseal.trust.TlogInstance;
import dev.airseal.trust.TrustedRoot;
import java.net.URI;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The transparency evidence of one tlog entry: which trusted log it is from, its signed entry
 * timestamp (Rekor v1's promise of inclusion), its inclusion proof and the checkpoint that proof
 * ends in. Binding the entry to the bundle's content is {@link TlogBodies}' job.
 */
final class TlogChecks {

  private TlogChecks() {}

  /** The outcome for one entry: the log, and the integration time if a SET vouches for it. */
  record Checked(TlogInstance log, Optional<Instant> signedTime) {}

  static TlogInstance findLog(Bundle.TlogEntry entry, TrustedRoot root) throws CheckFailure {
    Optional<TlogInstance> log = root.tlogByLogId(entry.logId());
    if (log.isEmpty() && entry.isRekorV2()) {
      log = root.tlogByCheckpointKeyId(entry.logId());
    }
    return log.orElseThrow(
        () -> new CheckFailure(
            "tlog.log",
            "log ID " + Hex.encode(entry.logId()) + " is not a transparency log of the trusted root"));
  }

  /**
   * Verifies SET, inclusion proof and checkpoint as far as the entry carries them; which of them
   * are required depends on the bundle version and is checked by the caller.
   */
  static Checked verify(
      Bundle.TlogEntry entry, TlogInstance log, TrustedRoot root, Instant now, Duration skew, List<Reason> passed)
      throws CheckFailure {
    Optional<Instant> signedTime = Optional.empty();
    if (entry.signedEntryTimestamp() != null) {
      if (entry.isRekorV2()) {
        throw new CheckFailure("tlog.inclusionPromise", "Rekor v2 entries carry no inclusion promise");
      }
      Instant t = Instant.ofEpochSecond(entry.integratedTime());
      integratedTime(t, now, skew);
      if (!log.validFor().contains(t)) {
        throw new CheckFailure(
            "tlog.inclusionPromise",
            "integrated time " + t + " is outside the log key's validity " + log.validFor());
      }
      byte[] payload =
          SignedEntryTimestamp.payload(
              entry.canonicalizedBody(), entry.integratedTime(), Hex.encode(log.logId()), entry.logIndex());
      if (!Signatures.verifyMessage(root.preparedKey(log.publicKey()), payload, entry.signedEntryTimestamp())) {
        throw new CheckFailure(
            "tlog.inclusionPromise",
            "signed entry timestamp does not verify with the key of " + log.baseUrl()
                + " (entry " + entry.logIndex() + ", integrated " + t + ")");
      }
      signedTime = Optional.of(t);
      passed.add(new Reason("tlog.inclusionPromise", "SET by " + log.baseUrl() + " for entry " + entry.logIndex() + " at " + t));
    } else if (entry.integratedTime() != 0) {
      integratedTime(Instant.ofEpochSecond(entry.integratedTime()), now, skew);
    }
    if (entry.inclusionProof() != null) {
      inclusionProof(entry, log, root);
      passed.add(new Reason(
          "tlog.inclusionProof",
          "entry " + entry.inclusionProof().logIndex() + " of tree size " + entry.inclusionProof().treeSize()
              + " in " + log.baseUrl() + (entry.inclusionProof().checkpoint() == null ? "" : ", checkpoint signed")));
    }
    return new Checked(log, signedTime);
  }

  // The log's clock and ours disagree a little (offline sites have weak clocks): the policy's
  // skew window is tolerated before an integration time counts as "in the future".
  private static void integratedTime(Instant t, Instant now, Duration skew) throws CheckFailure {
    if (t.isAfter(now.plus(skew))) {
      throw new CheckFailure("tlog.integratedTime",
          "integrated time " + t + " is in the future (now " + now + ", tolerated skew " + skew + ")");
    }
  }

  private static void inclusionProof(Bundle.TlogEntry entry, TlogInstance log, TrustedRoot root)
      throws CheckFailure {
    Bundle.InclusionProofData p = entry.inclusionProof();
    byte[] leaf = Rfc6962.hashLeaf(entry.canonicalizedBody());
    try {
      InclusionProof.verify(p.logIndex(), p.treeSize(), leaf, p.hashes(), p.rootHash());
    } catch (LogProofException e) {
      throw new CheckFailure("tlog.inclusionProof", e.getMessage());
    }
    if (p.checkpoint() == null) {
      return;
    }
    String name = host(log.baseUrl());
    Checkpoint cp;
    try {
      // SPEC (c2sp.org/signed-note): signatures by unknown keys (witness cosignatures, other keys
      // of the same origin) are ignored; the log's own signature must be present and valid.
      cp = Checkpoints.verify(p.checkpoint(), verifiers(entry, name, log, p.checkpoint(), root), null);
    } catch (NoteException | IllegalArgumentException e) {
      throw new CheckFailure("tlog.checkpoint", "checkpoint is not signed by " + name + ": " + e.getMessage());
    }
    if (cp.size() != p.treeSize() || !MessageDigest.isEqual(cp.rootHash(), p.rootHash())) {
      throw new CheckFailure(
          "tlog.checkpoint",
          "checkpoint commits to size " + cp.size() + " root " + Hex.encode(cp.rootHash())
              + ", the proof to size " + p.treeSize() + " root " + Hex.encode(p.rootHash()));
    }
  }

  /**
   * Rekor v2 signs checkpoints as its host, with a key hash that covers the name. Rekor v1's ECDSA
   * key hash does not cover the name, and v1 logs sign under whatever hostname their pod has
   * (scaffolding: {@code rekor-00001-deployment-…}); rekor's own verifier matches the key hash
   * only, so for v1 every name carrying the log's key hash is tried with the log's key.
   *
   * <p>A log whose key was rotated keeps its tree: a proof fetched after the rotation for an entry
   * from before ends in a checkpoint by the newer key. The root lists every key of the log under
   * the same base URL, and a checkpoint by any of them commits to the same tree.
   */
  private static List<NoteVerifier> verifiers(
      Bundle.TlogEntry entry, String name, TlogInstance log, String checkpoint, TrustedRoot root)
      throws NoteException {
    NoteVerifier byHost = noteVerifier(name, log, root);
    if (entry.isRekorV2()) {
      return List.of(byHost);
    }
    List<TlogInstance> keys = new java.util.ArrayList<>();
    keys.add(log);
    for (TlogInstance t : root.tlogs()) {
      if (t.baseUrl().equals(log.baseUrl()) && !MessageDigest.isEqual(t.logId(), log.logId())) {
        keys.add(t);
      }
    }
    List<NoteVerifier> out = new java.util.ArrayList<>();
    for (TlogInstance k : keys) {
      NoteVerifier v = noteVerifier(name, k, root);
      java.util.Set<String> names = new java.util.LinkedHashSet<>();
      names.add(name);
      for (NoteSignature s : SignedNote.parse(checkpoint).signatures()) {
        if (MessageDigest.isEqual(s.keyHash(), v.keyHash())) {
          names.add(s.name());
        }
      }
      for (String n : names) {
        out.add(n.equals(name) ? v : noteVerifier(n, k, root));
      }
    }
    return out;
  }

  // The log's key converted for a note verifier once per parsed root, not once per checkpoint.
  private static NoteVerifier noteVerifier(String name, TlogInstance log, TrustedRoot root) {
    return root.derived(
        List.of("note-verifier", name, log.baseUrl(), log.publicKey()),
        () -> NoteVerifier.fromPublicKey(name, log.publicKey()));
  }

  /**
   * The note signer name of a log: its base URL's host, with the port if the URL has one (Rekor v1
   * and v2 alike; a test log at http://localhost:8000 signs as {@code localhost:8000}).
   */
  static String host(String baseUrl) throws CheckFailure {
    try {
      URI u = URI.create(baseUrl);
      String h = u.getHost() == null ? null : u.getPort() < 0 ? u.getHost() : u.getHost() + ":" + u.getPort();
      if (h == null || h.isEmpty()) {
        throw new IllegalArgumentException("no host");
      }
      return h;
    } catch (IllegalArgumentException e) {
      throw new CheckFailure("tlog.checkpoint", "log base URL \"" + baseUrl + "\" has no host name");
    }
  }
}
