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
 * Write endpoints demand the configured bearer token when one is set. Reads stay open: a
 * transparency log is useful only if anyone can audit it.
 */
@Provider
@WriteAccess
public class WriteAccessFilter implements ContainerRequestFilter {
  // Filters are built before runtime configuration exists; read it per request.
  @Inject jakarta.inject.Provider<AirsealConfig> config;

  @Override
  public void filter(ContainerRequestContext ctx) {
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
}
