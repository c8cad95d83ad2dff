package dev.airseal.admission;

import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The webhook endpoints the API server calls: {@code POST /validate} and {@code POST /mutate}, one
 * AdmissionReview {@code admission.k8s.io/v1} in, one out. A body that is not a review answers
 * 400, which the API server treats as a failed call (and, with {@code failurePolicy: Fail}, a
 * rejection).
 */
@Path("/")
public class AdmissionResource {
  @Inject AdmissionService admission;

  @POST
  @Path("validate")
  @Consumes(MediaType.WILDCARD)
  @Produces(MediaType.APPLICATION_JSON)
  public Response validate(java.io.InputStream body, @Context HttpServerRequest request) {
    return review(body, false, request);
  }

  @POST
  @Path("mutate")
  @Consumes(MediaType.WILDCARD)
  @Produces(MediaType.APPLICATION_JSON)
  public Response mutate(java.io.InputStream body, @Context HttpServerRequest request) {
    return review(body, true, request);
  }

  // The listener accepts large bodies (transfer-bundle uploads); a review is read only up to the
  // most the API server sends (etcd objects are at most ~1.5 MiB, a review holds two).
  static final int MAX_REVIEW_BYTES = 8 << 20;

  private Response review(java.io.InputStream in, boolean mutate, HttpServerRequest request) {
    if (admission.requireTls() && !request.isSSL()) {
      return text(403, "admission reviews are answered over HTTPS only (the HTTPS port, quarkus.http.ssl-port)");
    }
    if (admission.requireClientCertificate() && !hasClientCertificate(request)) {
      return text(401, "admission reviews require a TLS client certificate");
    }
    byte[] body;
    try {
      body = in.readNBytes(MAX_REVIEW_BYTES + 1);
    } catch (java.io.IOException e) {
      return text(400, "cannot read the admission review: " + e.getMessage());
    }
    if (body.length > MAX_REVIEW_BYTES) {
      return text(413, "admission review exceeds " + MAX_REVIEW_BYTES + " bytes");
    }
    try {
      return Response.ok(admission.review(body, mutate), MediaType.APPLICATION_JSON).build();
    } catch (AdmissionReviewException e) {
      return text(400, e.getMessage());
    }
  }

  private static boolean hasClientCertificate(HttpServerRequest r) {
    try {
      return r.isSSL() && r.sslSession() != null && r.sslSession().getPeerCertificates().length > 0;
    } catch (SSLPeerUnverifiedException e) {
      return false;
    }
  }

  private static Response text(int status, String message) {
    return Response.status(status).type(MediaType.TEXT_PLAIN).entity(message + "\n").build();
  }
}
