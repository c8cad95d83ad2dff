package dev.airseal.trust.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.log.rekor.RekorException;
import dev.airseal.log.rekor.RequestBodies;
import dev.airseal.log.rekor.WriteAccess;
import dev.airseal.store.TrustRootVersions;
import dev.airseal.trust.TrustRootException;
import dev.airseal.trust.TrustedRoot;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.time.Instant;
import java.util.Locale;

/**
 * The trust root over HTTP: the current {@code trusted_root.json} and its history for everyone;
 * changes (each with a reason, audited) for holders of the write token.
 */
@Path("/api/v1")
@Blocking
public class TrustRootResource {
  static final String VERSION_HEADER = "X-Airseal-Trust-Root-Version";

  @Inject TrustRootService trust;
  @Inject ObjectMapper json;
  @Inject RequestBodies bodies;

  @GET
  @Path("/trust-root")
  @Produces(MediaType.APPLICATION_JSON)
  public Response current() {
    TrustRootService.Current c = trust.current().orElseThrow(() -> new RekorException(404, "no trust root yet"));
    return document(c.stored());
  }

  @GET
  @Path("/trust-root/versions/{n}")
  @Produces(MediaType.APPLICATION_JSON)
  public Response version(@PathParam("n") int n) {
    return trust.version(n).map(c -> document(c.stored()))
        .orElseThrow(() -> new RekorException(404, "no trust root version " + n));
  }

  @GET
  @Path("/trust-root/history")
  @Produces(MediaType.APPLICATION_JSON)
  public ArrayNode history() {
    ArrayNode out = json.createArrayNode();
    for (TrustRootVersions.Version v : trust.history()) {
      out.addObject()
          .put("version", v.version())
          .put("createdAt", Instant.ofEpochMilli(v.createdAt()).toString())
          .put("actor", v.actor())
          .put("reason", v.reason())
          .put("sha256", v.sha256());
    }
    return out;
  }

  @POST
  @Path("/trust-root/init")
  @Consumes(MediaType.WILDCARD)
  @WriteAccess
  public Response init(@HeaderParam("X-Airseal-Actor") String actor) {
    return document(trust.init(actor(actor), "trust init").stored());
  }

  /** Body: {@code {"trustedRoot": {...}, "reason": "..."}}. */
  @POST
  @Path("/trust-root/authorities")
  @Consumes(MediaType.WILDCARD)
  @WriteAccess
  public Response add(InputStream body, @HeaderParam("X-Airseal-Actor") String actor) {
    JsonNode req = bodies.readJson(body);
    TrustedRoot other;
    try {
      other = TrustedRoot.parse(json.writeValueAsBytes(req.path("trustedRoot")));
    } catch (TrustRootException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new RekorException(400, "trustedRoot: " + e.getMessage());
    }
    return change(() -> trust.add(other, actor(actor), req.path("reason").asText("")));
  }

  /** Body: {@code {"kind": "tlog|ctlog|ca|tsa", "id": "...", "reason": "..."}}. */
  @POST
  @Path("/trust-root/remove")
  @Consumes(MediaType.WILDCARD)
  @WriteAccess
  public Response remove(InputStream body, @HeaderParam("X-Airseal-Actor") String actor) {
    JsonNode req = bodies.readJson(body);
    TrustRootService.Kind kind;
    try {
      kind = TrustRootService.Kind.valueOf(req.path("kind").asText("").toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new RekorException(400, "kind must be one of tlog, ctlog, ca, tsa");
    }
    return change(() -> trust.remove(kind, req.path("id").asText(""), actor(actor), req.path("reason").asText("")));
  }

  /**
   * Body: {@code {"reason": "...", "key": "<key URI, optional>"}}: the log signs with a new key from
   * a second or two on (a new software key under the data directory when no key is named).
   */
  @POST
  @Path("/trust-root/rotate-log-key")
  @Consumes(MediaType.WILDCARD)
  @WriteAccess
  public Response rotateLogKey(InputStream body, @HeaderParam("X-Airseal-Actor") String actor) {
    JsonNode req = bodies.readJson(body);
    return change(() -> trust.rotateLogKey(req.path("key").asText(""), actor(actor), req.path("reason").asText("")));
  }

  /** A SigningConfig v0.2 naming this site's log, so clients know where to log. */
  @GET
  @Path("/signing-config")
  @Produces(MediaType.APPLICATION_JSON)
  public ObjectNode signingConfig() {
    return trust.signingConfig(json);
  }

  private Response change(java.util.function.Supplier<TrustRootService.Current> op) {
    try {
      return document(op.get().stored());
    } catch (IllegalArgumentException e) {
      throw new RekorException(400, e.getMessage());
    } catch (IllegalStateException e) {
      throw new RekorException(409, e.getMessage());
    }
  }

  private static Response document(TrustRootVersions.Version v) {
    return Response.ok(v.document(), MediaType.APPLICATION_JSON_TYPE)
        .header(VERSION_HEADER, v.version())
        .header("ETag", "\"" + v.sha256() + "\"")
        .build();
  }

  // The token proves the right to change trust; the actor name is what the operator says they are.
  private static String actor(String header) {
    return header == null || header.isBlank() ? "api" : header.strip();
  }
}
