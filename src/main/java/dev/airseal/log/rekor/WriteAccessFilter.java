package dev.airseal.log.rekor;

import dev.airseal.config.AirsealConfig;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/**
 * Write endpoints demand what is configured: the bearer token, a TLS client certificate that the
 * listener verified against its trust store, or both. Reads stay open: a transparency log is useful
 * only if anyone can audit it.
 */
@Provider
@WriteAccess
public class WriteAccessFilter implements ContainerRequestFilter {
  // Filters are built before runtime configuration exists; read it per request.
  @Inject jakarta.inject.Provider<AirsealConfig> config;
  @Inject jakarta.inject.Provider<io.vertx.ext.web.RoutingContext> routing;

  @Override
  public void filter(ContainerRequestContext ctx) {
    if (config.get().api().writeClientCertificate()) {
      requireClientCertificate();
    }
    String token = config.get().api().writeToken().orElse("");
    if (token.isEmpty()) {
      return;
    }
    String header = ctx.getHeaderString(HttpHeaders.AUTHORIZATION);
    String presented =
        header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7) : "";
    // Constant-time comparison: the token must not leak through response timing.
    if (!MessageDigest.isEqual(
        presented.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
      throw new RekorException(
          401, "this endpoint requires a bearer token", Map.of("WWW-Authenticate", "Bearer"));
    }
  }

  // With quarkus.http.ssl.client-auth=request the TLS layer verifies a certificate the client
  // offers against the trust store; a connection without one gets this far with no peer.
  private void requireClientCertificate() {
    io.vertx.core.http.HttpServerRequest req = routing.get().request();
    try {
      if (req.isSSL() && req.sslSession() != null && req.sslSession().getPeerCertificates().length > 0) {
        return;
      }
    } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
      // no client certificate
    }
    throw new RekorException(401, "this endpoint requires a TLS client certificate");
  }
}
