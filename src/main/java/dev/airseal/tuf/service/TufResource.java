package dev.airseal.tuf.service;

import dev.airseal.log.rekor.RekorException;
import dev.airseal.tuf.TufRepository;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;

/**
 * The TUF repository as a mirror: metadata at {@code /tuf/N.root.json}, {@code /tuf/timestamp.json},
 * {@code /tuf/N.snapshot.json}, {@code /tuf/N.targets.json}, target files at
 * {@code /tuf/targets/<sha256>.<name>}. Clients take {@code http://HOST:PORT/tuf} as the mirror.
 */
@Path("/tuf")
@Blocking
public class TufResource {
  @Inject TufService tuf;

  @GET
  @Path("/{name}")
  public Response metadata(@PathParam("name") String name) {
    // The two names that change are brought up to date first; versioned files never change.
    boolean mutable = name.equals("timestamp.json") || name.equals("root.json");
    return serve(name, mutable);
  }

  @GET
  @Path("/targets/{name}")
  public Response target(@PathParam("name") String name) {
    return serve("targets/" + name, false);
  }

  private Response serve(String name, boolean mutable) {
    if (!tuf.enabled()) {
      throw new RekorException(404, "the TUF repository is not enabled (airseal.tuf.enabled)");
    }
    TufRepository repo = mutable ? tuf.fresh() : tuf.repository();
    Optional<byte[]> file = repo.read(name);
    if (file.isEmpty()) {
      throw new RekorException(404, "no TUF file " + name);
    }
    return Response.ok(file.get(), name.endsWith(".json") ? MediaType.APPLICATION_JSON_TYPE : MediaType.APPLICATION_OCTET_STREAM_TYPE)
        .header("Cache-Control", mutable ? "no-cache" : "public, max-age=31536000, immutable")
        .build();
  }
}
