package dev.airseal.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The read-only operator console: one page whose script fills it from {@code /console/api/summary}.
 * The page and its data need console access ({@link ConsoleAccess}); the login page and the static
 * scripts carry no data and are open.
 */
@Path("/console")
public class ConsoleResource {
  // Scripts from this origin only, no inline code: what the audit log holds (image names, subjects
  // from admission requests) is attacker-influenced and must never run as markup.
  private static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self';"
          + " form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
  private static final Map<String, String> ASSETS =
      Map.of("console.js", "text/javascript", "login.js", "text/javascript", "console.css", "text/css");
  private static final ObjectMapper JSON = new ObjectMapper();

  @Inject ConsoleAccess access;
  @Inject ConsoleSessions sessions;
  @Inject ConsoleSummary summary;
  @Context HttpServerRequest request;

  @GET
  public Response page(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @CookieParam(ConsoleAccess.COOKIE) String session) {
    if (access.refusal(request, auth, session).isPresent()) {
      return Response.seeOther(URI.create("/console/login")).header("Cache-Control", "no-store").build();
    }
    return resource("console.html", "text/html; charset=utf-8");
  }

  @GET
  @Path("login")
  public Response login() {
    return resource("login.html", "text/html; charset=utf-8");
  }

  @GET
  @Path("assets/{name}")
  public Response asset(@PathParam("name") String name) {
    String type = ASSETS.get(name);
    return type == null ? Response.status(404).build() : resource(name, type + "; charset=utf-8");
  }

  @GET
  @Path("api/summary")
  @jakarta.ws.rs.Produces(MediaType.APPLICATION_JSON)
  public Response data(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @CookieParam(ConsoleAccess.COOKIE) String session) {
    Optional<String> refused = access.refusal(request, auth, session);
    if (refused.isPresent()) {
      return error(401, refused.get());
    }
    return secured(Response.ok(summary.build(Instant.now()), MediaType.APPLICATION_JSON_TYPE));
  }

  /** Exchanges the write token, or a one-time code from {@code admin console-link}, for a session. */
  @POST
  @Path("session")
  @jakarta.ws.rs.Consumes(MediaType.APPLICATION_JSON)
  public Response open(InputStream body) throws IOException {
    if (!access.clientCertificateAllowed(request)) {
      return error(401, "the console requires a TLS client certificate");
    }
    JsonNode req;
    try {
      req = JSON.readTree(body.readNBytes(4096));
    } catch (IOException e) {
      return error(400, "expected {\"token\": ...} or {\"code\": ...}");
    }
    String token = req == null ? "" : req.path("token").asText("");
    String code = req == null ? "" : req.path("code").asText("");
    Optional<String> session = Optional.empty();
    if (!token.isEmpty() && access.tokenMatches(token)) {
      session = Optional.of(sessions.newSession());
    } else if (!code.isEmpty()) {
      session = sessions.redeem(code);
    } else if (!access.tokenRequired()) {
      session = Optional.of(sessions.newSession());
    }
    if (session.isEmpty()) {
      return error(401, "wrong token, or a login code that is unknown, used or expired");
    }
    return secured(Response.noContent().cookie(cookie(session.get(), (int) sessions.ttl().toSeconds())));
  }

  @POST
  @Path("logout")
  public Response logout(@CookieParam(ConsoleAccess.COOKIE) String session) {
    sessions.end(session);
    return Response.seeOther(URI.create("/console/login")).cookie(cookie("", 0)).build();
  }

  private NewCookie cookie(String value, int maxAge) {
    return new NewCookie.Builder(ConsoleAccess.COOKIE)
        .value(value)
        .path("/console")
        .maxAge(maxAge)
        .httpOnly(true)
        .secure(request.isSSL())
        .sameSite(NewCookie.SameSite.STRICT)
        .build();
  }

  private Response resource(String name, String type) {
    InputStream in = ConsoleResource.class.getResourceAsStream("/console/" + name);
    if (in == null) {
      return Response.status(404).build();
    }
    return secured(Response.ok(in, type));
  }

  private static Response error(int status, String message) {
    return secured(Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
        .entity(Map.of("code", status, "message", message)));
  }

  private static Response secured(Response.ResponseBuilder b) {
    return b.header("Content-Security-Policy", CSP)
        .header("X-Content-Type-Options", "nosniff")
        .header("Referrer-Policy", "no-referrer")
        .header("Cache-Control", "no-store")
        .build();
  }
}
