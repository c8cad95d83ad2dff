package dev.airseal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.bundle.BundleContent;
import dev.airseal.bundle.ConsistencyProofBlob;
import dev.airseal.log.ConsistencyProof;
import dev.airseal.log.Hex;
import dev.airseal.log.LogProofException;
import dev.airseal.log.checkpoint.Checkpoint;
import dev.airseal.log.note.NoteException;
import dev.airseal.log.note.SignedNote;
import dev.airseal.log.rekor.RekorClient;
import java.io.IOException;
import java.io.PrintStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code bundle create --upstream-log URL}: fetches the log's current checkpoint and a consistency
 * proof from the checkpoint this producer carried last (kept in the producer state file), checks
 * the proof here too (a split view is better caught before the USB trip), and adds both to the
 * bundle. The site verifies the checkpoint's signature; the producer need not trust the log.
 */
final class UpstreamLogCarrier {
  /** The checkpoint carried for one log, as the producer state file keeps it. */
  record Carried(String url, String origin, long size, byte[] rootHash, String note) {
    ObjectNode toJson() {
      return JsonNodeFactory.instance.objectNode().put("origin", origin).put("size", size)
          .put("rootHash", Hex.encode(rootHash)).put("checkpoint", note);
    }

    static Optional<Carried> fromJson(String url, JsonNode n) {
      if (n == null || !n.isObject()) {
        return Optional.empty();
      }
      return Optional.of(new Carried(url, n.path("origin").asText(), n.path("size").asLong(),
          Hex.decode(n.path("rootHash").asText()), n.path("checkpoint").asText()));
    }
  }

  private UpstreamLogCarrier() {}

  /**
   * @param previous what this producer carried of {@code url} last
   * @param from the size to prove consistency from instead (what the site imported last)
   */
  static Carried carry(BundleContent content, String url, Optional<Carried> previous, Optional<Long> from,
      PrintStream progress) throws IOException {
    RekorClient client = new RekorClient(url, Optional.empty());
    JsonNode info = client.logInfo();
    Instant fetched = Instant.now();
    String note = info.path("signedTreeHead").asText("");
    Checkpoint cp;
    try {
      // Parsed, not verified: the site verifies the signature against its trust root.
      cp = Checkpoint.parse(SignedNote.parse(note).text());
    } catch (NoteException e) {
      throw new IOException(url + " served a signedTreeHead that is not a checkpoint: " + e.getMessage(), e);
    }
    Optional<Carried> sameLog = previous.filter(p -> p.origin().equals(cp.origin()));
    if (previous.isPresent() && sameLog.isEmpty()) {
      progress.printf("  upstream log %s: origin changed from \"%s\" to \"%s\" (a new tree); no proof carried%n", url,
          previous.get().origin(), cp.origin());
    }
    Optional<Long> firstSize = from.isPresent() ? from : sameLog.map(Carried::size);
    Optional<ConsistencyProofBlob> proof = Optional.empty();
    if (firstSize.isPresent() && firstSize.get() > cp.size()) {
      throw new IOException("upstream log " + url + " (\"" + cp.origin() + "\") rolled back: its checkpoint is at size "
          + cp.size() + ", below size " + firstSize.get() + " carried before");
    }
    if (firstSize.isPresent() && firstSize.get() > 0 && firstSize.get() < cp.size()) {
      JsonNode p = client.consistencyProof(firstSize.get(), cp.size());
      List<byte[]> hashes = new ArrayList<>();
      for (JsonNode h : p.path("hashes")) {
        hashes.add(Hex.decode(h.asText()));
      }
      if (!Hex.encode(cp.rootHash()).equals(p.path("rootHash").asText())) {
        throw new IOException(url + " answered a consistency proof to root " + p.path("rootHash").asText()
            + ", its checkpoint has root " + Hex.encode(cp.rootHash()));
      }
      if (from.isEmpty()) {
        check(url, sameLog.get(), cp, hashes);
      }
      proof = Optional.of(new ConsistencyProofBlob(firstSize.get(), cp.size(), hashes));
    } else if (from.isEmpty() && sameLog.isPresent() && sameLog.get().size() == cp.size()) {
      check(url, sameLog.get(), cp, List.of());
    }
    content.checkpoint(url, fetched, note, proof);
    progress.printf("  upstream log %s (\"%s\"): checkpoint at size %d%s%n", url, cp.origin(), cp.size(),
        proof.map(x -> ", consistency proof from size " + x.firstSize()).orElse(firstSize.isEmpty()
            ? ", first carried" : ""));
    return new Carried(url, cp.origin(), cp.size(), cp.rootHash(), note);
  }

  private static void check(String url, Carried before, Checkpoint now, List<byte[]> hashes) throws IOException {
    try {
      if (before.size() == now.size()) {
        if (!MessageDigest.isEqual(before.rootHash(), now.rootHash())) {
          throw new LogProofException("same size " + now.size() + ", different root");
        }
      } else {
        ConsistencyProof.verify(before.size(), now.size(), hashes, before.rootHash(), now.rootHash());
      }
    } catch (LogProofException e) {
      throw new IOException("upstream log " + url + " (\"" + now.origin() + "\") is not consistent with the checkpoint"
          + " this producer carried before (size " + before.size() + "): a split view or a rewritten log; no bundle"
          + " written: " + e.getMessage(), e);
    }
  }
}
