package dev.airseal.log.rekor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.log.TransparencyLog;
import dev.airseal.log.rekor.kind.CanonicalEntry;
import dev.airseal.log.rekor.kind.EntryTypes;
import dev.airseal.log.rekor.kind.InvalidEntryException;
import dev.airseal.log.sequencer.Appended;
import dev.airseal.log.sequencer.EntryDraft;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.Base64;
import java.util.concurrent.CompletionStage;

/**
 * Rekor v2's write API on the same tree: {@code hashedrekord} 0.0.2 in, a protobuf-specs
 * TransparencyLogEntry (protobuf JSON: 64-bit integers as strings, bytes as base64) out. Rekor v2
 * entries carry no integrated time and no SET; clients prove time with an RFC 3161 timestamp.
 */
@Path("/api/v2/log/entries")
public class RekorV2Resource {
  @Inject RekorLog rekorLog;
  @Inject LogMetrics metrics;
  @Inject ObjectMapper json;
  @Inject RequestBodies bodies;

  @POST
  @Consumes(MediaType.WILDCARD)
  @Produces(MediaType.APPLICATION_JSON)
  @WriteAccess
  @Blocking
  public CompletionStage<Response> create(InputStream body) {
    JsonNode request = bodies.readJson(body);
    CanonicalEntry c;
    try {
      c = EntryTypes.canonicalizeV2(request);
      metrics.entryChecked(true);
    } catch (InvalidEntryException e) {
      metrics.entryChecked(false);
      throw new RekorException(400, e.getMessage());
    }
    TransparencyLog log = rekorLog.log();
    return log.append(EntryDraft.of(c.kind(), c.apiVersion(), c.body(), c.indexKeys()))
        .handle(
            (Appended a, Throwable t) -> {
              if (t != null) {
                throw RekorV1Resource.translate(t, log);
              }
              return Response.status(201)
                  .type(MediaType.APPLICATION_JSON_TYPE)
                  .entity(transparencyLogEntry(a, log))
                  .build();
            });
  }

  private ObjectNode transparencyLogEntry(Appended a, TransparencyLog log) {
    Base64.Encoder b64 = Base64.getEncoder();
    long index = a.entry().index();
    ObjectNode tle = json.createObjectNode();
    tle.put("logIndex", Long.toString(index));
    // The checkpoint key ID: SHA-256 of the PKIX key, whose first 4 bytes are the note's key hint.
    // The key of the entry's integration second signed the checkpoint of its batch (LogKeys).
    tle.putObject("logId").put("keyId", b64.encodeToString(dev.airseal.log.Hex.decode(rekorLog.logIdHexAt(a.entry().integratedTime()))));
    tle.putObject("kindVersion").put("kind", a.entry().kind()).put("version", a.entry().apiVersion());
    ObjectNode proof = tle.putObject("inclusionProof");
    proof.put("logIndex", Long.toString(index));
    proof.put("rootHash", b64.encodeToString(a.head().root()));
    proof.put("treeSize", Long.toString(a.tree().size()));
    ArrayNode hashes = proof.putArray("hashes");
    a.tree().proofs().inclusion(index, a.tree().size()).forEach(h -> hashes.add(b64.encodeToString(h)));
    proof.putObject("checkpoint").put("envelope", a.head().checkpoint());
    tle.put("canonicalizedBody", b64.encodeToString(a.entry().body()));
    return tle;
  }
}
