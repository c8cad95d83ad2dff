package dev.airseal.bundle.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.bundle.ImportReport;
import dev.airseal.bundle.TransferKey;
import dev.airseal.bundle.TransferStatement;
import dev.airseal.log.rekor.RekorException;
import dev.airseal.log.rekor.RequestBodies;
import dev.airseal.log.rekor.WriteAccess;
import dev.airseal.store.TransferImports;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Optional;

/**
 * Transfer bundles over HTTP: the upload (write access), the import history, and the trusted
 * transfer keys with their audited operator changes.
 */
@Path("/api/v1/bundles")
@Blocking
@Produces(MediaType.APPLICATION_JSON)
public class BundleResource {
  @Inject BundleService bundles;
  @Inject RequestBodies bodies;
  @Inject ObjectMapper json;

  /** The bundle file as the body; 200 for ok and noop, 422 with the report when refused. */
  @POST
  @Consumes(MediaType.WILDCARD)
  @WriteAccess
  public Response upload(InputStream body, @HeaderParam("X-Airseal-Actor") String actor,
      @QueryParam("strict") @DefaultValue("false") boolean strict, @QueryParam("pushTo") String pushTo,
      @QueryParam("allowHttpRegistry") @DefaultValue("false") boolean allowHttp) throws IOException {
    ImportReport r = bundles.importBundle(body, actor(actor), strict,
        Optional.ofNullable(pushTo).filter(s -> !s.isBlank()), allowHttp);
    return Response.status("rejected".equals(r.outcome()) ? 422 : 200).entity(r.toJson()).build();
  }

  @GET
  public ArrayNode history(@QueryParam("limit") @DefaultValue("50") int limit) throws IOException {
    ArrayNode out = json.createArrayNode();
    for (TransferImports.Record r : bundles.store().history(Math.min(Math.max(limit, 1), 1000))) {
      ObjectNode o = out.addObject();
      o.put("producer", r.producer());
      o.put("sequence", r.sequence());
      o.put("bundleDigest", r.bundleDigest());
      o.put("previous", r.previousDigest());
      o.put("fileDigest", r.fileDigest());
      o.put("transferKey", r.keyId());
      o.put("importedAt", Instant.ofEpochMilli(r.importedAt()).toString());
      o.put("actor", r.actor());
      o.put("logIndex", r.logIndex());
      o.put("evidenceVersion", r.evidenceVersion());
      o.put("images", r.images());
      o.put("excluded", r.excluded());
    }
    return out;
  }

  @GET
  @Path("/transfer-keys")
  public ArrayNode keys() {
    ArrayNode out = json.createArrayNode();
    for (TransferImports.Key k : bundles.store().keys(false)) {
      out.addObject().put("keyId", k.keyId()).put("producer", k.producer()).put("active", k.active())
          .put("addedAt", Instant.ofEpochMilli(k.addedAt()).toString()).put("addedBy", k.addedBy())
          .put("reason", k.reason()).put("publicKey", k.publicKeyPem());
    }
    return out;
  }

  /** The last imported checkpoint of each upstream log: what the next bundle must extend. */
  @GET
  @Path("/upstream-logs")
  public ArrayNode upstreamLogs() {
    ArrayNode out = json.createArrayNode();
    for (TransferImports.UpstreamCheckpoint c : bundles.store().upstreamCheckpoints()) {
      out.addObject().put("origin", c.origin()).put("treeSize", c.treeSize()).put("rootHash", c.rootHash())
          .put("url", c.logUrl()).put("producer", c.producer()).put("sequence", c.sequence())
          .put("updatedAt", Instant.ofEpochMilli(c.updatedAt()).toString()).put("checkpoint", c.checkpoint());
    }
    return out;
  }

  /** Body: {@code {"producer": "...", "publicKey": "PEM", "reason": "..."}}. */
  @POST
  @Path("/transfer-keys")
  @Consumes(MediaType.WILDCARD)
  @WriteAccess
  public ObjectNode addKey(InputStream body, @HeaderParam("X-Airseal-Actor") String actor) {
    JsonNode req = bodies.readJson(body);
    String producer = req.path("producer").asText("");
    String reason = req.path("reason").asText("");
    if (!TransferStatement.PRODUCER.matcher(producer).matches()) {
      throw new RekorException(400, "producer must match " + TransferStatement.PRODUCER);
    }
    if (reason.isBlank()) {
      throw new RekorException(400, "a transfer key change needs a reason; it is audited");
    }
    PublicKey key;
    try {
      key = TransferKey.parsePem(req.path("publicKey").asText(""));
    } catch (IOException e) {
      throw new RekorException(400, "publicKey: " + e.getMessage());
    }
    String id = TransferKey.keyId(key);
    if (!bundles.store().addKey(id, producer, TransferKey.toPem(key), actor(actor), reason)) {
      throw new RekorException(409, "transfer key " + id + " is already known");
    }
    return json.createObjectNode().put("keyId", id).put("producer", producer);
  }

  /** Body: {@code {"reason": "..."}}. */
  @POST
  @Path("/transfer-keys/{keyId}/retire")
  @Consumes(MediaType.WILDCARD)
  @WriteAccess
  public ObjectNode retire(@PathParam("keyId") String keyId, InputStream body,
      @HeaderParam("X-Airseal-Actor") String actor) {
    String reason = bodies.readJson(body).path("reason").asText("");
    if (reason.isBlank()) {
      throw new RekorException(400, "a transfer key change needs a reason; it is audited");
    }
    if (!bundles.store().retireKey(keyId, actor(actor), reason)) {
      throw new RekorException(404, "no active transfer key " + keyId);
    }
    return json.createObjectNode().put("keyId", keyId).put("active", false);
  }

  private static String actor(String header) {
    return header == null || header.isBlank() ? "api" : header.strip();
  }
}
