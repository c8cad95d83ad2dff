package dev.airseal.log.rekor;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airseal.log.sequencer.DuplicateEntryException;
import dev.airseal.log.sequencer.EntryDraft;
import dev.airseal.log.sequencer.LogOverloadedException;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The leader's end of forwarding: appends that followers took from clients (and authorized) arrive
 * here with the current term's secret, which only replicas that read the shared database know.
 */
@Path("/internal/cluster")
public class ClusterResource {
  @Inject RekorLog rekorLog;
  @Inject ObjectMapper json;
  @Inject RequestBodies bodies;

  @POST
  @Path("/append")
  @Consumes(MediaType.APPLICATION_JSON)
  @Blocking
  public CompletionStage<Response> append(
      @HeaderParam(ClusterForwarder.SECRET_HEADER) String secret, java.io.InputStream in) {
    LogReplica replica = rekorLog.replica();
    if (replica == null || !replica.leading()) {
      return CompletableFuture.completedFuture(answer(503, Map.of("message", "not the leader")));
    }
    if (!replica.forwardedWith(secret)) {
      return CompletableFuture.completedFuture(
          answer(403, Map.of("message", "not this term's forwarding secret")));
    }
    EntryDraft draft;
    try {
      draft = ClusterForwarder.draft(json.readTree(bodies.read(in)));
    } catch (IOException | IllegalArgumentException e) {
      return CompletableFuture.completedFuture(answer(400, Map.of("message", e.getMessage())));
    }
    return rekorLog
        .log()
        .append(draft)
        .handle(
            (a, t) -> {
              if (t == null) {
                return answer(200, Map.of("index", a.entry().index()));
              }
              Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
              if (c instanceof DuplicateEntryException d) {
                return answer(409, Map.of("index", d.existingIndex()));
              }
              if (c instanceof LogOverloadedException) {
                return answer(503, Map.of("message", c.getMessage()));
              }
              return answer(500, Map.of("message", String.valueOf(c.getMessage())));
            });
  }

  private static Response answer(int status, Map<String, Object> body) {
    return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
  }
}
