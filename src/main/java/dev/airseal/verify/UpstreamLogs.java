package dev.airseal.verify;

import dev.airseal.log.ConsistencyProof;
import dev.airseal.log.Hex;
import dev.airseal.log.LogProofException;
import dev.airseal.log.checkpoint.Checkpoint;
import dev.airseal.log.note.NoteException;
import dev.airseal.log.note.NoteSignature;
import dev.airseal.log.note.NoteVerifier;
import dev.airseal.log.note.SignedNote;
import dev.airseal.log.note.VerifiedNote;
import dev.airseal.trust.TlogInstance;
import dev.airseal.trust.TrustedRoot;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checkpoints of upstream transparency logs, carried across the air gap: signed by a log the trust
 * root names (found by the signature's key hint), and each one consistent with the last one seen.
 */
public final class UpstreamLogs {
  // Rekor v1 once wrote the checkpoint time as an extension line, in Unix nanoseconds.
  private static final Pattern TIMESTAMP = Pattern.compile("Timestamp: ([0-9]{1,19})");

  private UpstreamLogs() {}

  /**
   * Verifies a checkpoint's signature with the log keys of {@code root} whose key hint it carries
   * and whose validity window holds the checkpoint's time.
   *
   * @param fetched when the checkpoint was fetched: its time unless it carries a {@code Timestamp:} line
   */
  public static TrustedCheckpoint open(String note, TrustedRoot root, Instant fetched) throws UpstreamLogException {
    List<NoteSignature> signatures;
    Checkpoint unverified;
    try {
      dev.airseal.log.note.Note parsed = SignedNote.parse(note);
      signatures = parsed.signatures();
      unverified = Checkpoint.parse(parsed.text());
    } catch (NoteException e) {
      throw new UpstreamLogException("checkpoint is malformed: " + e.getMessage(), e);
    }
    // The time only selects which keys may have signed; the signature check below covers the line.
    Instant time = time(unverified, fetched);
    Map<String, TlogInstance> byKeyId = new LinkedHashMap<>();
    Map<String, NoteVerifier> verifiers = new LinkedHashMap<>();
    List<String> outside = new ArrayList<>();
    for (NoteSignature s : signatures) {
      for (TlogInstance t : root.tlogs()) {
        NoteVerifier v;
        try {
          v = NoteVerifier.fromPublicKey(s.name(), t.publicKey());
        } catch (IllegalArgumentException e) {
          continue; // an RSA log key signs no notes
        }
        if (!MessageDigest.isEqual(v.keyHash(), s.keyHash())) {
          continue;
        }
        if (!t.validFor().contains(time)) {
          outside.add(t.baseUrl() + " (valid " + t.validFor() + ")");
          continue;
        }
        verifiers.putIfAbsent(v.keyId(), v);
        byKeyId.putIfAbsent(v.keyId(), t);
      }
    }
    if (verifiers.isEmpty()) {
      List<String> ids = signatures.stream().map(NoteSignature::keyId).toList();
      throw new UpstreamLogException(outside.isEmpty()
          ? "checkpoint of \"" + unverified.origin() + "\" is signed by " + ids
              + ", none of them a log key in the site's trust root"
          : "checkpoint of \"" + unverified.origin() + "\" is from " + time + ", outside the validity of its log key: "
              + String.join(", ", outside));
    }
    VerifiedNote verified;
    try {
      verified = SignedNote.open(note, List.copyOf(verifiers.values()));
    } catch (NoteException e) {
      throw new UpstreamLogException("checkpoint of \"" + unverified.origin() + "\" has a bad signature: "
          + e.getMessage(), e);
    }
    TlogInstance log = byKeyId.get(verified.verified().get(0).keyId());
    Checkpoint cp;
    try {
      cp = Checkpoint.parse(verified.text());
    } catch (NoteException e) {
      throw new UpstreamLogException("checkpoint is malformed: " + e.getMessage(), e);
    }
    return new TrustedCheckpoint(cp.origin(), cp.size(), cp.rootHash(), note, time, log.baseUrl());
  }

  /**
   * Requires {@code next} to extend the tree of {@code size1} and {@code root1}, last seen: never
   * smaller, the same root at the same size, and a valid consistency proof to a larger size.
   *
   * @param proof the proof's hashes from {@code size1} to {@code next.size()}; ignored when the
   *     sizes are equal or {@code size1} is 0 (every tree extends the empty one)
   */
  public static void extend(long size1, byte[] root1, TrustedCheckpoint next, List<byte[]> proof)
      throws UpstreamLogException {
    String origin = next.origin();
    if (next.size() < size1) {
      throw new UpstreamLogException("upstream log \"" + origin + "\" rolled back: checkpoint size " + next.size()
          + " is smaller than size " + size1 + " imported before");
    }
    if (next.size() == size1) {
      if (!MessageDigest.isEqual(root1, next.rootHash())) {
        throw new UpstreamLogException("split view of upstream log \"" + origin + "\": at size " + size1
            + " its root is " + Hex.encode(next.rootHash()) + ", but " + Hex.encode(root1) + " was imported before");
      }
      return;
    }
    if (size1 == 0) {
      return;
    }
    try {
      ConsistencyProof.verify(size1, next.size(), proof, root1, next.rootHash());
    } catch (LogProofException e) {
      throw new UpstreamLogException("upstream log \"" + origin + "\" is not consistent from size " + size1
          + " to " + next.size() + " (a split view or a rewritten log): " + e.getMessage(), e);
    }
  }

  private static Instant time(Checkpoint c, Instant fetched) {
    for (String e : c.extensions()) {
      Matcher m = TIMESTAMP.matcher(e);
      if (m.matches()) {
        try {
          long nanos = Long.parseLong(m.group(1));
          return Instant.ofEpochSecond(nanos / 1_000_000_000L, nanos % 1_000_000_000L);
        } catch (NumberFormatException ignored) {
          // out of range: fall back to the fetch time
        }
      }
    }
    return fetched;
  }
}
