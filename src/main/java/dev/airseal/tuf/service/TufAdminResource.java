package dev.airseal.tuf.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airseal.log.rekor.RekorException;
import dev.airseal.log.rekor.RequestBodies;
import dev.airseal.log.rekor.WriteAccess;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.Optional;

/** Managing the TUF repository: its state, root rotation (write token) and the tar.gz export. */
@Path("/api/v1/tuf")
@Blocking
public class TufAdminResource {
  @Inject TufService tuf;
  @Inject RequestBodies bodies;

  @GET
  @Path("/status")
  @Produces(MediaType.APPLICATION_JSON)
  public TufService.Status status() {
    requireEnabled();
    tuf.fresh();
    return tuf.status();
  }

  /** Body: {@code {"reason": "...", "rootKey": "<key URI, optional>", "onlineKey": "<optional>"}}. */
  @POST
  @Path("/rotate-root")
  @Consumes(MediaType.WILDCARD)
  @Produces(MediaType.APPLICATION_JSON)
  @WriteAccess
  public TufService.Status rotateRoot(InputStream body, @HeaderParam("X-Airseal-Actor") String actor) {
    requireEnabled();
    JsonNode req = bodies.readJson(body);
    try {
      return tuf.rotateRoot(text(req, "rootKey"), text(req, "onlineKey"),
          actor == null || actor.isBlank() ? "api" : actor.strip(), req.path("reason").asText(""));
    } catch (IllegalArgumentException e) {
      throw new RekorException(400, e.getMessage());
    } catch (IllegalStateException e) {
      throw new RekorException(409, e.getMessage());
    }
  }

  /**
   * The whole repository as a gzipped tar with entries under {@code repository/}: what
   * policy-controller's {@code TrustRoot.spec.repository.mirrorFS} takes, base64-encoded.
   */
  @GET
  @Path("/export")
  @Produces("application/gzip")
  public Response export() {
    requireEnabled();
    return Response.ok(tuf.exportTarGz(), "application/gzip")
        .header("Content-Disposition", "attachment; filename=\"airseal-tuf.tar.gz\"")
        .build();
  }

  private void requireEnabled() {
    if (!tuf.enabled()) {
      throw new RekorException(404, "the TUF repository is not enabled (airseal.tuf.enabled)");
    }
  }

  private static Optional<String> text(JsonNode req, String field) {
    String v = req.path(field).asText("");
    return v.isBlank() ? Optional.empty() : Optional.of(v);
  }
}
