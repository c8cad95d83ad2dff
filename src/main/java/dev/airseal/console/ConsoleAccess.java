package dev.airseal.console;

import dev.airseal.config.AirsealConfig;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Who may read the console: the same people who may write (see {@code WriteAccessFilter}). A TLS
 * client certificate when the write API demands one, and then either the write token as a bearer
 * token or a session cookie obtained with it. With no token configured the write API is open, and
 * so is the console.
 */
@ApplicationScoped
public class ConsoleAccess {
  public static final String COOKIE = "airseal_console";

  @Inject AirsealConfig config;
  @Inject ConsoleSessions sessions;

  /** Why a request is refused, or empty if it may read the console. */
  public Optional<String> refusal(HttpServerRequest req, String authorization, String sessionCookie) {
    if (config.api().writeClientCertificate() && !hasClientCertificate(req)) {
      return Optional.of("the console requires a TLS client certificate");
    }
    if (!tokenRequired() || sessions.valid(sessionCookie) || tokenMatches(bearer(authorization))) {
      return Optional.empty();
    }
    return Optional.of("the console requires a login (the write token) or a bearer token");
  }

  public boolean tokenRequired() {
    return !config.api().writeToken().orElse("").isEmpty();
  }

  /** Constant-time comparison with the configured write token; false when none is configured. */
  public boolean tokenMatches(String presented) {
    String token = config.api().writeToken().orElse("");
    return !token.isEmpty()
        && MessageDigest.isEqual(
            presented.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
  }

  public boolean clientCertificateAllowed(HttpServerRequest req) {
    return !config.api().writeClientCertificate() || hasClientCertificate(req);
  }

  private static String bearer(String header) {
    return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7) : "";
  }

  // With quarkus.http.ssl.client-auth=request the TLS layer has verified any certificate offered.
  private static boolean hasClientCertificate(HttpServerRequest req) {
    try {
      return req.isSSL() && req.sslSession() != null && req.sslSession().getPeerCertificates().length > 0;
    } catch (SSLPeerUnverifiedException e) {
      return false;
    }
  }
}
