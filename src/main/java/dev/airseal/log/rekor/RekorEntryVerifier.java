package dev.airseal.log.rekor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airseal.log.Hex;
import dev.airseal.log.InclusionProof;
import dev.airseal.log.LogProofException;
import dev.airseal.log.Rfc6962;
import dev.airseal.log.checkpoint.Checkpoint;
import dev.airseal.log.checkpoint.Checkpoints;
import dev.airseal.log.note.NoteException;
import dev.airseal.log.note.NoteVerifier;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Checks a Rekor v1 entry response offline against the log's public key: UUID vs body, inclusion
 * proof vs root, checkpoint signature and its size/root, and the SET. What rekor-cli checks, and
 * what it does not (integratedTime units, origin, UUID-body binding).
 */
public final class RekorEntryVerifier {
  private final PublicKey logKey;
  private final String logIdHex;
  private final String hostname;

  public RekorEntryVerifier(PublicKey logKey, String hostname) {
    this.logKey = logKey;
    this.logIdHex = Hex.encode(Rfc6962.sha256(logKey.getEncoded()));
    this.hostname = hostname;
  }

  /** Verifies one {@code {uuid: entry}} pair; returns the checkpoint it was proven against. */
  public Checkpoint verify(String uuid, JsonNode entry) throws LogProofException {
    byte[] body = b64(entry, "body");
    byte[] leaf = Rfc6962.hashLeaf(body);
    EntryIds.Parsed id;
    try {
      id = EntryIds.parse(uuid);
    } catch (IllegalArgumentException e) {
      throw new LogProofException(e.getMessage());
    }
    if (!MessageDigest.isEqual(id.leafHash(), leaf)) {
      throw new LogProofException(
          "UUID " + uuid + " does not name the body's leaf hash " + Hex.encode(leaf));
    }
    if (!logIdHex.equals(entry.path("logID").asText())) {
      throw new LogProofException(
          "entry logID " + entry.path("logID").asText() + " is not this log's " + logIdHex);
    }
    long index = entry.path("logIndex").asLong(-1);
    long time = entry.path("integratedTime").asLong(-1);
    // Seconds, as Rekor writes them: a millisecond value would lie ~50,000 years ahead.
    if (time < 0 || time > 32503680000L) {
      throw new LogProofException("integratedTime " + time + " is not a time in seconds");
    }
    JsonNode v = entry.path("verification");
    byte[] set = b64(v, "signedEntryTimestamp");
    verifySignature(SignedEntryTimestamp.payload(body, time, logIdHex, index), set, "SET");
    JsonNode p = v.path("inclusionProof");
    if (!p.isObject()) {
      throw new LogProofException("entry has no inclusion proof");
    }
    long size = p.path("treeSize").asLong(-1);
    byte[] root = hex(p, "rootHash");
    List<byte[]> hashes = new ArrayList<>();
    for (JsonNode h : p.path("hashes")) {
      hashes.add(hexValue(h.asText(), "inclusion proof hash"));
    }
    if (p.path("logIndex").asLong(-2) != index) {
      throw new LogProofException("inclusion proof index differs from the entry's logIndex");
    }
    InclusionProof.verify(index, size, leaf, hashes, root);
    Checkpoint cp;
    try {
      cp =
          Checkpoints.verify(
              p.path("checkpoint").asText(""), NoteVerifier.fromPublicKey(hostname, logKey), null);
    } catch (NoteException e) {
      throw new LogProofException("checkpoint: " + e.getMessage(), e);
    }
    if (cp.size() != size || !MessageDigest.isEqual(cp.rootHash(), root)) {
      throw new LogProofException(
          "checkpoint commits to size " + cp.size() + " root " + Hex.encode(cp.rootHash())
              + ", the proof to size " + size + " root " + Hex.encode(root));
    }
    return cp;
  }

  /** Verifies every entry of a {@code {uuid: entry, ...}} object. */
  public void verifyAll(JsonNode entries) throws LogProofException {
    for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) entries::fields) {
      verify(e.getKey(), e.getValue());
    }
  }

  private void verifySignature(byte[] payload, byte[] sig, String what) throws LogProofException {
    try {
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initVerify(logKey);
      s.update(payload);
      if (!s.verify(sig)) {
        throw new LogProofException(what + " signature does not verify with the log key");
      }
    } catch (GeneralSecurityException e) {
      throw new LogProofException(what + " signature is malformed: " + e.getMessage(), e);
    }
  }

  private static byte[] b64(JsonNode n, String field) throws LogProofException {
    try {
      return Base64.getDecoder().decode(n.path(field).asText(""));
    } catch (IllegalArgumentException e) {
      throw new LogProofException(field + " is not base64");
    }
  }

  private static byte[] hex(JsonNode n, String field) throws LogProofException {
    return hexValue(n.path(field).asText(""), field);
  }

  private static byte[] hexValue(String s, String what) throws LogProofException {
    if (!Hex.isHex(s, 64)) {
      throw new LogProofException(what + " is not 64 hex digits");
    }
    return Hex.decode(s);
  }
}
