package dev.airseal.bundle;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/**
 * What an import did: {@code ok} (committed), {@code noop} (this bundle was imported before) or
 * {@code rejected} (nothing written), with the per-image verification results.
 */
public record ImportReport(
    String outcome,
    String message,
    Optional<TransferStatement> statement,
    String bundleDigest,
    String fileDigest,
    long logIndex,
    long evidenceVersion,
    Optional<Integer> trustRootVersion,
    List<String> notes,
    List<EvidenceCheck.ImageReport> images,
    double imageMBps) {

  public static ImportReport rejected(String message, Optional<TransferStatement> s, String digest, String file) {
    return new ImportReport("rejected", message, s, digest, file, -1, -1, Optional.empty(), List.of(), List.of(), 0);
  }

  public ObjectNode toJson() {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("outcome", outcome);
    n.put("message", message);
    statement.ifPresent(s -> {
      n.put("producer", s.producer());
      n.put("sequence", s.sequence());
      n.put("created", s.created().toString());
      n.put("expires", s.expires().toString());
    });
    n.put("bundleDigest", bundleDigest);
    n.put("fileDigest", fileDigest);
    if (logIndex >= 0) {
      n.put("logIndex", logIndex);
    }
    if (evidenceVersion >= 0) {
      n.put("evidenceVersion", evidenceVersion);
    }
    trustRootVersion.ifPresent(v -> n.put("trustRootVersion", v));
    if (imageMBps > 0) {
      n.put("imageMBps", Math.round(imageMBps * 10) / 10.0);
    }
    ArrayNode notesJson = n.putArray("notes");
    notes.forEach(notesJson::add);
    ArrayNode im = n.putArray("images");
    for (EvidenceCheck.ImageReport r : images) {
      ObjectNode o = im.addObject();
      o.put("repository", r.repository());
      o.put("digest", r.digest().toString());
      o.put("accepted", r.accepted());
      o.put("signatures", r.signatures());
      o.put("attestations", r.attestations());
      ArrayNode p = o.putArray("problems");
      r.problems().forEach(p::add);
    }
    return n;
  }
}
