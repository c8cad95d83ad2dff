package dev.airseal.admission;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.log.rekor.WriteAccess;
import dev.airseal.oci.Digest;
import dev.airseal.policy.PolicyDocument;
import dev.airseal.policy.PolicyException;
import dev.airseal.store.PolicyDocuments;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Policies through the API: {@code PUT}/{@code GET}/{@code DELETE /api/v1/policies/{name}} for
 * uploaded documents (writes need {@link WriteAccess}), {@code GET /api/v1/policies} for the active
 * set from every source. An upload that would make the set fail to load is refused with the
 * document and field path, and nothing changes.
 */
@Path("/api/v1/policies")
public class PolicyResource {
  @Inject dev.airseal.log.rekor.RequestBodies bodies;
  // A file-name-like name: it is shown in denials and audit records.
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,252}");

  @Inject AdmissionPolicies policies;

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public ObjectNode list() {
    ObjectNode o = AdmissionReviews.JSON.createObjectNode();
    policies.current().ifPresentOrElse(p -> {
      o.put("version", p.version());
      ArrayNode names = o.putArray("policies");
      p.names().forEach(names::add);
    }, () -> o.putNull("version"));
    policies.lastError().ifPresent(e -> o.put("lastError", e));
    ArrayNode docs = o.putArray("documents");
    for (PolicyDocument d : policies.documents()) {
      docs.addObject().put("name", d.name()).put("source", d.source())
          .put("sha256", Digest.of(d.content().getBytes(StandardCharsets.UTF_8)).hex());
    }
    return o;
  }

  @GET
  @Path("{name}")
  @Produces("application/yaml")
  public Response get(@PathParam("name") String name) {
    return policies.apiDocuments().all().stream().filter(s -> s.name().equals(name)).findFirst()
        .map(s -> Response.ok(s.content(), "application/yaml").build())
        .orElseGet(() -> error(404, "no policy document " + name + " was uploaded through the API", null));
  }

  @PUT
  @Path("{name}")
  @WriteAccess
  @Consumes(MediaType.WILDCARD)
  @Produces(MediaType.APPLICATION_JSON)
  public Response put(@PathParam("name") String name, java.io.InputStream in) {
    if (!NAME.matcher(name).matches()) {
      return error(400, "policy name must match " + NAME.pattern(), null);
    }
    byte[] body = bodies.read(in); // bounded by airseal.api.max-body-bytes (413 beyond)
    String content = new String(body, StandardCharsets.UTF_8);
    PolicyDocument doc = new PolicyDocument(name, "api", content);
    try {
      policies.trial(Optional.of(doc), Optional.empty());
    } catch (PolicyException e) {
      return error(400, e.getMessage(), e);
    } catch (IOException e) {
      return error(500, "cannot read the other policy sources: " + e.getMessage(), null);
    }
    boolean created = policies.apiDocuments().put(name, content, "api");
    policies.reload("policy " + name + " uploaded");
    return Response.status(created ? 201 : 200).entity(list()).build();
  }

  @DELETE
  @Path("{name}")
  @WriteAccess
  @Produces(MediaType.APPLICATION_JSON)
  public Response delete(@PathParam("name") String name) {
    PolicyDocuments docs = policies.apiDocuments();
    if (docs.all().stream().noneMatch(s -> s.name().equals(name))) {
      return error(404, "no policy document " + name + " was uploaded through the API", null);
    }
    try {
      policies.trial(Optional.empty(), Optional.of(name));
    } catch (PolicyException e) {
      return error(409, "removing " + name + " would leave a set that does not load: " + e.getMessage(), e);
    } catch (IOException e) {
      return error(500, "cannot read the other policy sources: " + e.getMessage(), null);
    }
    docs.delete(name, "api");
    policies.reload("policy " + name + " deleted");
    return Response.ok(list()).build();
  }

  private static Response error(int status, String message, PolicyException e) {
    ObjectNode o = AdmissionReviews.JSON.createObjectNode().put("code", status).put("message", message);
    if (e != null) {
      o.put("document", e.document()).put("path", e.path());
    }
    return Response.status(status).type(MediaType.APPLICATION_JSON).entity(o).build();
  }
}
