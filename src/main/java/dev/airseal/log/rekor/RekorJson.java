package dev.airseal.log.rekor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.log.Hex;
import dev.airseal.log.StoredEntry;
import dev.airseal.log.TreeHead;
import dev.airseal.log.TreeSnapshot;
import java.util.Base64;
import java.util.List;

/** Rekor v1's JSON shapes for entries, proofs and log info. */
public final class RekorJson {
  private final ObjectMapper json;

  public RekorJson(ObjectMapper json) {
    this.json = json;
  }

  /** {@code {"<uuid>": {body, integratedTime, logID, logIndex, verification}}}. */
  public ObjectNode entry(
      StoredEntry e, long treeId, String logIdHex, TreeSnapshot tree, TreeHead head) {
    ObjectNode v = json.createObjectNode();
    v.put("body", Base64.getEncoder().encodeToString(e.body()));
    v.put("integratedTime", e.integratedTime());
    v.put("logID", logIdHex);
    v.put("logIndex", e.index());
    ObjectNode verification = v.putObject("verification");
    ObjectNode proof = verification.putObject("inclusionProof");
    proof.put("checkpoint", head.checkpoint());
    proof.set("hashes", hexArray(tree.proofs().inclusion(e.index(), tree.size())));
    proof.put("logIndex", e.index());
    proof.put("rootHash", Hex.encode(head.root()));
    proof.put("treeSize", tree.size());
    verification.put(
        "signedEntryTimestamp", Base64.getEncoder().encodeToString(e.signedEntryTimestamp()));
    ObjectNode out = json.createObjectNode();
    out.set(EntryIds.of(treeId, e.leafHash()), v);
    return out;
  }

  public ObjectNode logInfo(TreeHead head) {
    ObjectNode n = json.createObjectNode();
    n.put("rootHash", Hex.encode(head.root()));
    n.put("signedTreeHead", head.checkpoint());
    n.put("treeID", Long.toString(head.treeId()));
    n.put("treeSize", head.size());
    return n;
  }

  public ObjectNode consistencyProof(List<byte[]> hashes, TreeHead head) {
    ObjectNode n = json.createObjectNode();
    n.set("hashes", hexArray(hashes));
    n.put("rootHash", Hex.encode(head.root()));
    return n;
  }

  public ArrayNode hexArray(List<byte[]> hashes) {
    ArrayNode a = json.createArrayNode();
    hashes.forEach(h -> a.add(Hex.encode(h)));
    return a;
  }
}
