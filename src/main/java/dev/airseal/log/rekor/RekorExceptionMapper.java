package dev.airseal.log.rekor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error on the Rekor API leaves in Rekor's {code, message} shape. */
public class RekorExceptionMapper {
  private static final Logger LOG = Logger.getLogger(RekorExceptionMapper.class);

  @Inject ObjectMapper json;

  @ServerExceptionMapper
  public Response rekor(RekorException e) {
    Response.ResponseBuilder b = error(e.status(), e.getMessage());
    e.headers().forEach(b::header);
    return b.build();
  }

  @ServerExceptionMapper
  public Response webApplication(WebApplicationException e) {
    int status = e.getResponse().getStatus();
    return error(status, e.getMessage() == null ? "HTTP " + status : e.getMessage()).build();
  }

  @ServerExceptionMapper
  public Response unexpected(RuntimeException e) {
    LOG.error("internal error on the Rekor API", e);
    return error(500, "internal error").build();
  }

  private Response.ResponseBuilder error(int status, String message) {
    ObjectNode n = json.createObjectNode();
    n.put("code", status);
    n.put("message", message);
    return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(n);
  }
}
