package dev.airseal.log.rekor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.log.Hex;
import dev.airseal.log.StoredEntry;
import dev.airseal.log.TransparencyLog;
import dev.airseal.log.rekor.kind.CanonicalEntry;
import dev.airseal.log.rekor.kind.EntryTypes;
import dev.airseal.log.rekor.kind.InvalidEntryException;
import dev.airseal.log.sequencer.Appended;
import dev.airseal.log.sequencer.DuplicateEntryException;
import dev.airseal.log.sequencer.EntryDraft;
import dev.airseal.log.sequencer.LogOverloadedException;
import dev.airseal.signing.soft.KeyFiles;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/** The Rekor v1 REST API, byte-compatible with what rekor-cli, cosign and sigstore clients read. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class RekorV1Resource {
  static final String ENTRIES_PATH = "/api/v1/log/entries/";
  private static final int MAX_RETRIEVE = 10;
  static final int MAX_CANONICAL_BODY = 0xFFFF;

  @Inject RekorLog rekorLog;
  @Inject LogMetrics metrics;
  @Inject ObjectMapper json;
  @Inject RequestBodies bodies;

  private RekorJson shapes() {
    return new RekorJson(json);
  }

  @GET
  @Path("/log")
  @Blocking
  public ObjectNode logInfo() {
    return shapes().logInfo(rekorLog.log().published().head());
  }

  @GET
  @Path("/log/publicKey")
  @Produces("application/x-pem-file")
  public String publicKey(@QueryParam("treeID") String treeId) throws IOException {
    TransparencyLog log = rekorLog.log();
    checkTreeId(treeId, log);
    return KeyFiles.publicKeyPem(rekorLog.keys().current().publicKey());
  }

  @GET
  @Path("/log/proof")
  @Blocking
  public ObjectNode proof(
      @QueryParam("firstSize") String first,
      @QueryParam("lastSize") String last,
      @QueryParam("treeID") String treeId) {
    TransparencyLog log = rekorLog.log();
    checkTreeId(treeId, log);
    TransparencyLog.Published p = log.published();
    long firstSize = first == null ? 1 : parseSize("firstSize", first);
    if (last == null) {
      throw new RekorException(400, "lastSize is required");
    }
    long lastSize = parseSize("lastSize", last);
    if (firstSize < 1) {
      throw new RekorException(400, "firstSize must be >= 1");
    }
    if (firstSize > lastSize) {
      throw new RekorException(400, "firstSize(" + firstSize + ") must be <= lastSize(" + lastSize + ")");
    }
    if (lastSize > p.tree().size()) {
      throw new RekorException(
          400, "lastSize(" + lastSize + ") must be <= current tree size(" + p.tree().size() + ")");
    }
    var hashes = p.tree().proofs().consistency(firstSize, lastSize);
    ObjectNode n = json.createObjectNode();
    n.set("hashes", shapes().hexArray(hashes));
    n.put("rootHash", Hex.encode(p.tree().proofs().root(lastSize)));
    return n;
  }

  @POST
  @Path("/log/entries")
  @Consumes(MediaType.WILDCARD)
  @WriteAccess
  @Blocking
  public CompletionStage<Response> create(InputStream body) {
    JsonNode proposed = bodies.readJson(body);
    CanonicalEntry canonical;
    try {
      canonical = EntryTypes.canonicalize(proposed);
      metrics.entryChecked(true);
    } catch (InvalidEntryException e) {
      metrics.entryChecked(false);
      throw new RekorException(400, e.getMessage());
    }
    if (canonical.body().length > MAX_CANONICAL_BODY) {
      // Entry bundles (tlog-tiles) length-prefix entries with 16 bits.
      throw new RekorException(
          400, "canonical entry of " + canonical.body().length + " bytes exceeds the limit of "
              + MAX_CANONICAL_BODY);
    }
    TransparencyLog log = rekorLog.log();
    EntryDraft draft =
        EntryDraft.of(
            canonical.kind(), canonical.apiVersion(), canonical.body(), canonical.indexKeys());
    return log.append(draft)
        .handle(
            (Appended a, Throwable t) -> {
              if (t != null) {
                throw translate(t, log);
              }
              ObjectNode entry =
                  shapes().entry(a.entry(), log.treeId(), rekorLog.logIdHexAt(a.entry().integratedTime()), a.tree(), a.head());
              String uuid = entry.fieldNames().next();
              return Response.status(201)
                  .type(MediaType.APPLICATION_JSON_TYPE)
                  .header("ETag", uuid)
                  .header("Location", ENTRIES_PATH + uuid)
                  .entity(entry)
                  .build();
            });
  }

  static RuntimeException translate(Throwable t, TransparencyLog log) {
    Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    if (c instanceof DuplicateEntryException d) {
      String uuid =
          log.store()
              .entry(d.existingIndex())
              .map(e -> EntryIds.of(log.treeId(), e.leafHash()))
              .orElse("");
      return new RekorException(
          409, "an equivalent entry already exists in the transparency log with UUID " + uuid,
          Map.of("Location", ENTRIES_PATH + uuid));
    }
    if (c instanceof LogOverloadedException) {
      return new RekorException(503, c.getMessage());
    }
    return c instanceof RuntimeException r ? r : new IllegalStateException(c);
  }

  @GET
  @Path("/log/entries")
  @Blocking
  public ObjectNode entryByIndex(@QueryParam("logIndex") String logIndex) {
    if (logIndex == null) {
      throw new RekorException(400, "logIndex is required");
    }
    long idx = parseSize("logIndex", logIndex);
    return render(rekorLog.log(), byIndex(idx))
        .orElseThrow(() -> new RekorException(404, "no entry at log index " + idx));
  }

  @GET
  @Path("/log/entries/{uuid}")
  @Blocking
  public ObjectNode entryByUuid(@PathParam("uuid") String uuid) {
    return render(rekorLog.log(), byUuid(uuid))
        .orElseThrow(() -> new RekorException(404, "no entry with UUID " + uuid));
  }

  @POST
  @Path("/log/entries/retrieve")
  @Consumes(MediaType.WILDCARD)
  @Blocking
  public ArrayNode retrieve(InputStream body) {
    JsonNode q = bodies.readJson(body);
    TransparencyLog log = rekorLog.log();
    List<Optional<StoredEntry>> found = new ArrayList<>();
    JsonNode uuids = q.path("entryUUIDs");
    JsonNode indexes = q.path("logIndexes");
    JsonNode entries = q.path("entries");
    if (uuids.size() + indexes.size() + entries.size() > MAX_RETRIEVE) {
      throw new RekorException(
          422, "at most " + MAX_RETRIEVE + " entries may be retrieved in one request");
    }
    for (JsonNode u : uuids) {
      found.add(byUuid(u.asText()));
    }
    for (JsonNode i : indexes) {
      if (!i.canConvertToLong() || i.asLong() < 0) {
        throw new RekorException(400, "logIndexes must hold non-negative integers");
      }
      found.add(byIndex(i.asLong()));
    }
    for (JsonNode e : entries) {
      try {
        CanonicalEntry c = EntryTypes.canonicalize(e);
        found.add(log.entryByLeafHash(dev.airseal.log.Rfc6962.hashLeaf(c.body())));
      } catch (InvalidEntryException ex) {
        throw new RekorException(400, ex.getMessage());
      }
    }
    ArrayNode out = json.createArrayNode();
    for (Optional<StoredEntry> f : found) {
      render(log, f).ifPresent(out::add);
    }
    return out;
  }

  private Optional<StoredEntry> byIndex(long idx) {
    return rekorLog.log().entry(idx);
  }

  private Optional<StoredEntry> byUuid(String uuid) {
    EntryIds.Parsed p;
    try {
      p = EntryIds.parse(uuid);
    } catch (IllegalArgumentException e) {
      throw new RekorException(400, e.getMessage());
    }
    TransparencyLog log = rekorLog.log();
    if (p.treeId() != null && p.treeId() != log.treeId()) {
      return Optional.empty();
    }
    return log.entryByLeafHash(p.leafHash());
  }

  private Optional<ObjectNode> render(TransparencyLog log, Optional<StoredEntry> e) {
    TransparencyLog.Published p = log.published();
    return e.filter(x -> x.index() < p.tree().size())
        .map(x -> shapes().entry(x, log.treeId(), rekorLog.logIdHexAt(x.integratedTime()), p.tree(), p.head()));
  }

  static void checkTreeId(String treeId, TransparencyLog log) {
    if (treeId != null && !treeId.isEmpty() && !treeId.equals(Long.toString(log.treeId()))) {
      throw new RekorException(404, "unknown treeID " + treeId);
    }
  }

  static long parseSize(String name, String value) {
    try {
      long v = Long.parseLong(value);
      if (v < 0) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new RekorException(400, name + " must be a non-negative integer");
    }
  }
}
