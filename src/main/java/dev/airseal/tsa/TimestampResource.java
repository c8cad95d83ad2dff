package dev.airseal.tsa;

import dev.airseal.config.AirsealConfig;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;

/**
 * RFC 3161 over HTTP (§3.4) at sigstore timestamp-authority's paths. Open without the write token:
 * a timestamp changes no state, and each costs one signature over a request of bounded size.
 */
@Path("/api/v1/timestamp")
public class TimestampResource {
  public static final String QUERY = "application/timestamp-query";
  public static final String REPLY = "application/timestamp-reply";
  public static final String PEM_CHAIN = "application/pem-certificate-chain";

  @Inject TsaService tsa;
  @Inject AirsealConfig config;

  // Every well-formed request is answered 200 with a TimeStampResp, a refusal included (status
  // rejection with its failInfo): RFC 3161 clients read the reply, not the HTTP status.
  @POST
  @Consumes(QUERY)
  @Produces(REPLY)
  @Blocking
  public Response timestamp(InputStream body) {
    TimestampAuthority authority = authority();
    int limit = config.tsa().maxRequestBytes();
    byte[] request;
    try {
      request = body.readNBytes(limit + 1);
    } catch (IOException e) {
      throw new WebApplicationException("cannot read the request body: " + e.getMessage(), 400);
    }
    if (request.length > limit) {
      throw new WebApplicationException(
          "TimeStampReq exceeds the limit of " + limit + " bytes", 413);
    }
    return Response.ok(authority.respond(request), REPLY).build();
  }

  /** The TSA certificate chain, TSA certificate first and root last, as PEM. */
  @GET
  @Path("/certchain")
  @Produces(PEM_CHAIN)
  public String certChain() {
    return authority().chain().toPem();
  }

  private TimestampAuthority authority() {
    return tsa.authority()
        .orElseThrow(() -> new NotFoundException("the timestamp authority is disabled"));
  }
}
