package dev.airseal.console;

import dev.airseal.log.rekor.WriteAccess;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.Map;

/**
 * {@code POST /api/v1/admin/console-login}: a one-time console login code for whoever holds write
 * access. The code goes in the URL fragment ({@code /console/login#code=...}), which browsers never
 * send to a server, so it stays out of access logs; the page trades it for an HttpOnly cookie.
 */
@Path("/api/v1/admin/console-login")
@WriteAccess
public class ConsoleLoginResource {
  @Inject ConsoleSessions sessions;

  @POST
  @Produces(MediaType.APPLICATION_JSON)
  public Map<String, String> code() {
    String code = sessions.newLoginCode();
    return Map.of(
        "path", "/console/login#code=" + code,
        "expiresAt", Instant.now().plus(ConsoleSessions.CODE_TTL).toString());
  }
}
