package dev.airseal.backup.service;

import dev.airseal.backup.BackupException;
import dev.airseal.log.rekor.WriteAccess;
import jakarta.inject.Inject;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.nio.file.Files;
import java.util.Map;

/**
 * {@code POST /api/v1/admin/backup}: an online backup archive, guarded like every write (the
 * archive holds the software private keys). The archive's SHA-256 travels in a header so the client
 * can check what it stored.
 */
@Path("/api/v1/admin")
@WriteAccess
public class BackupResource {
  public static final String SHA256_HEADER = "X-Airseal-Backup-Sha256";

  @Inject BackupService backups;

  @POST
  @Path("backup")
  public Response backup(@HeaderParam("X-Airseal-Actor") String actor) {
    BackupService.Made made;
    try {
      made = backups.make(actor == null || actor.isBlank() ? "api" : actor.strip());
    } catch (BackupException e) {
      return Response.status(409)
          .type(MediaType.APPLICATION_JSON_TYPE)
          .entity(Map.of("code", 409, "message", e.getMessage()))
          .build();
    }
    StreamingOutput body =
        out -> {
          try {
            Files.copy(made.file(), out);
          } finally {
            backups.discard(made);
          }
        };
    return Response.ok(body, "application/zip")
        .header("Content-Disposition", "attachment; filename=\"" + made.name() + "\"")
        .header("Content-Length", made.bytes())
        .header(SHA256_HEADER, made.sha256())
        .build();
  }
}
