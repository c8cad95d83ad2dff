package dev.airseal.api;

import dev.airseal.log.Rfc6962;
import dev.airseal.log.StoredEntry;
import dev.airseal.log.TransparencyLog;
import dev.airseal.log.rekor.RekorLog;
import dev.airseal.log.tile.TileLayout;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;

/**
 * The C2SP tlog-tiles read API for mirrors, monitors and witnesses. Every tile URL names content
 * that never changes, so tiles are served as immutable; only the checkpoint moves.
 */
// SPEC: https://c2sp.org/tlog-tiles
@Path("/")
public class TilesResource {
  private static final String IMMUTABLE = "public, max-age=31536000, immutable";
  private static final int MAX_ENTRY = 0xFFFF;

  @Inject RekorLog rekorLog;

  @GET
  @Path("checkpoint")
  public Response checkpoint() {
    return Response.ok(rekorLog.log().published().head().checkpoint(), "text/plain; charset=utf-8")
        .header("Cache-Control", "no-cache")
        .build();
  }

  @GET
  @Path("tile/{path: .+}")
  @Blocking
  public Response tile(@PathParam("path") String path) {
    TileRequest r = TileRequest.parse(path);
    if (r == null) {
      return notFound("not a tile path: tile/" + path);
    }
    TransparencyLog log = rekorLog.log();
    long size = log.published().tree().size();
    return r.entries() ? entryBundle(log, size, r) : hashTile(log, size, r);
  }

  private Response hashTile(TransparencyLog log, long size, TileRequest r) {
    long available = TileLayout.hashesAtTileLevel(size, r.level()) - r.index() * TileLayout.TILE_WIDTH;
    int want = r.width();
    if (available < want) {
      return notFound("tile " + r + " is beyond the tree of size " + size);
    }
    byte[] stored = log.store().tileBytes(r.level(), r.index());
    if (stored == null || stored.length < want * Rfc6962.HASH_SIZE) {
      return notFound("tile " + r + " is not stored");
    }
    return immutable(Arrays.copyOf(stored, want * Rfc6962.HASH_SIZE));
  }

  private Response entryBundle(TransparencyLog log, long size, TileRequest r) {
    long first = r.index() * TileLayout.TILE_WIDTH;
    if (size - first < r.width()) {
      return notFound("entry bundle " + r + " is beyond the tree of size " + size);
    }
    List<StoredEntry> entries = log.store().entries(first, first + r.width());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (StoredEntry e : entries) {
      byte[] b = e.body();
      if (b.length > MAX_ENTRY) {
        throw new IllegalStateException("entry " + e.index() + " exceeds the entry bundle limit");
      }
      out.write(b.length >>> 8);
      out.write(b.length & 0xFF);
      out.writeBytes(b);
    }
    return immutable(out.toByteArray());
  }

  private static Response immutable(byte[] body) {
    return Response.ok(body, "application/octet-stream").header("Cache-Control", IMMUTABLE).build();
  }

  private static Response notFound(String message) {
    return Response.status(404).type("text/plain").entity(message + "\n").build();
  }
}
