package dev.airseal.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airseal.log.rekor.GenesisEntry;
import dev.airseal.store.H2Database;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Restores a backup archive onto a stopped install, working on its files directly (the service
 * must not run: H2's file lock proves it). Nothing is deleted: what the archive replaces is moved
 * to {@code <data-dir>/pre-restore-<time>/}.
 */
public final class Restore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  /** The install to restore onto, as its configuration names it. */
  public record Target(Path dataDir, String jdbcUrl, String user, String password) {}

  /** What was restored and where the replaced files went. */
  public record Result(String archiveSha256, JsonNode info, long logEntries, int files, Path setAside) {}

  private Restore() {}

  public static Result run(
      Path archive, Target target, Optional<String> expectedSha256, boolean force, String actor)
      throws IOException {
    return run(archive, target, expectedSha256, force, actor, Optional.empty());
  }

  /**
   * As {@link #run(Path, Target, Optional, boolean, String)}, for an archive that {@code admin
   * backup --encrypt-passphrase-file} encrypted with {@code passphrase} ({@link BackupCipher}).
   */
  public static Result run(Path archive, Target target, Optional<String> expectedSha256, boolean force,
      String actor, Optional<char[]> passphrase) throws IOException {
    Path dbPath =
        H2Database.filePath(target.jdbcUrl())
            .orElseThrow(() -> new BackupException(
                "admin restore restores the embedded H2 database only, and this install's database is "
                    + redactUrl(target.jdbcUrl()) + ": restore the database with pg_restore and copy"
                    + " the key files by hand (docs/runbooks/backup-restore.md)"));
    Path dataDir = target.dataDir().toAbsolutePath().normalize();
    Path dbBase = dbPath.isAbsolute() ? dbPath.normalize() : dataDir.resolve(dbPath).normalize();
    checkOwner(dataDir);

    String sha = sha256(archive);
    if (expectedSha256.isPresent() && !expectedSha256.get().equalsIgnoreCase(sha)) {
      throw new BackupException(
          archive + " has SHA-256 " + sha + ", not the expected " + expectedSha256.get());
    }
    // The passphrase is checked before anything is written, so a wrong one leaves no trace.
    boolean encrypted = BackupCipher.isEncrypted(archive);
    if (encrypted && passphrase.isEmpty()) {
      throw new BackupException(archive + " is encrypted (" + BackupCipher.FORMAT
          + "): give its passphrase with --encrypt-passphrase-file or --encrypt-passphrase-env");
    }
    if (!encrypted && passphrase.isPresent()) {
      throw new BackupException(archive + " is not encrypted, but a passphrase was given: is it the right file?");
    }
    try (InputStream probe = Files.newInputStream(archive)) {
      if (encrypted) {
        BackupCipher.decrypt(probe, passphrase.get()).close();
      }
    }
    if (!Files.exists(dataDir)) {
      ownerOnly(Files.createDirectories(dataDir));
    }
    String stamp = STAMP.format(Instant.now());
    Path staging = dataDir.resolve(".restore-" + stamp);
    Files.createDirectory(staging);
    try {
      BackupManifest manifest;
      try (InputStream file = Files.newInputStream(archive);
          InputStream in = encrypted ? BackupCipher.decrypt(file, passphrase.get()) : file) {
        manifest = BackupArchive.extract(new FilterInputStream(in) {
          @Override
          public void close() {
            // the drain below still reads it
          }
        }, staging);
        // The zip reader stops at the central directory; read on to the segment marked last, so
        // that a truncated or altered end of an encrypted archive is refused too.
        in.transferTo(OutputStream.nullOutputStream());
      }
      JsonNode info = JSON.readTree(staging.resolve(BackupArchive.INFO).toFile());
      if (!"airseal-backup/1".equals(info.path("format").asText())) {
        throw new BackupException("unknown backup format '" + info.path("format").asText() + "'");
      }
      Path stagedDb = onlyDatabaseFile(staging.resolve("db"));
      refuseReservedNames(manifest);

      refuseRunningOrUsedTarget(dbBase, target, force);

      long entries;
      String stagedBase = stagedDb.toString().substring(0, stagedDb.toString().length() - ".mv.db".length());
      try {
        entries = H2Database.recordRestore(Path.of(stagedBase), target.user(), target.password(), actor,
            archive.getFileName().toString(),
            n -> JSON.createObjectNode().put("sha256", sha).put("backupCreatedAt", info.path("createdAt").asText())
                .put("logEntries", n).put("files", manifest.files().size()).toString());
      } catch (H2Database.H2Exception e) {
        throw new BackupException("cannot open the restored database: " + e.getMessage()
            + " (it keeps the credentials of the install it came from: set"
            + " quarkus.datasource.username/password to those)", e);
      }

      Path aside = dataDir.resolve("pre-restore-" + stamp);
      setAside(dataDir, dbBase, aside, staging.getFileName().toString());
      Path data = staging.resolve("data");
      List<Path> restored = new ArrayList<>();
      if (Files.isDirectory(data)) {
        try (DirectoryStream<Path> top = Files.newDirectoryStream(data)) {
          for (Path p : top) {
            restored.add(Files.move(p, dataDir.resolve(p.getFileName().toString())));
          }
        }
      }
      if (!Files.isDirectory(dbBase.getParent())) {
        restored.add(Files.createDirectories(dbBase.getParent()));
      }
      restored.add(Files.move(stagedDb, Path.of(dbBase + ".mv.db")));
      for (Path p : restored) {
        ownerOnly(p);
      }
      return new Result(sha, info, entries, manifest.files().size(), aside);
    } finally {
      deleteTree(staging);
    }
  }

  // admin backup never writes these under data/; in a crafted archive they would collide with the
  // database file or with restore's own working directories halfway through the moves.
  private static void refuseReservedNames(BackupManifest manifest) {
    for (String name : manifest.files().keySet()) {
      if (!name.startsWith(BackupArchive.DATA_DIR)) {
        continue;
      }
      String rel = name.substring(BackupArchive.DATA_DIR.length());
      String top = rel.split("/", 2)[0];
      if (rel.endsWith(".mv.db") || rel.endsWith(".trace.db") || rel.endsWith(".lock.db")
          || top.startsWith("pre-restore-") || top.startsWith(".restore-") || top.startsWith(".backup-")) {
        throw new BackupException("the archive holds " + name + ", which admin backup never writes");
      }
    }
  }

  private static Path onlyDatabaseFile(Path dbDir) throws IOException {
    List<Path> found = new ArrayList<>();
    if (Files.isDirectory(dbDir)) {
      try (DirectoryStream<Path> s = Files.newDirectoryStream(dbDir, "*.mv.db")) {
        s.forEach(found::add);
      }
    }
    if (found.size() != 1) {
      throw new BackupException("the archive must hold exactly one db/*.mv.db, it holds " + found.size());
    }
    return found.get(0);
  }

  private static void refuseRunningOrUsedTarget(Path dbBase, Target target, boolean force) {
    if (!Files.exists(Path.of(dbBase + ".mv.db"))) {
      return;
    }
    try {
      long entries = H2Database.logEntries(dbBase, target.user(), target.password());
      // A fresh install that has started once holds its genesis entry and nothing of anyone's.
      boolean onlyGenesis =
          entries == 1
              && H2Database.onlyLogEntry(dbBase, target.user(), target.password())
                  .filter(e -> GenesisEntry.isGenesis(e.body(), e.origin()))
                  .isPresent();
      if (entries > 0 && !onlyGenesis && !force) {
        throw new BackupException("the install at " + dbBase + " already has a log of " + entries
            + " entries; restoring replaces it (it is kept under pre-restore-*): pass --force to go on");
      }
    } catch (H2Database.H2Exception e) {
      if (e.inUse() || !force) {
        throw new BackupException("cannot open the current database: " + e.getMessage()
            + (e.inUse() ? "" : " (pass --force to replace it anyway)"), e);
      }
    }
  }

  // Moves what the restore replaces (every top-level entry of the data directory but working
  // directories and earlier set-asides, and the database files wherever they live) into aside/.
  private static void setAside(Path dataDir, Path dbBase, Path aside, String stagingName) throws IOException {
    Files.createDirectory(aside);
    try (DirectoryStream<Path> top = Files.newDirectoryStream(dataDir)) {
      for (Path p : top) {
        String n = p.getFileName().toString();
        if (n.equals(stagingName) || n.startsWith("pre-restore-") || n.startsWith(".backup-")) {
          continue;
        }
        Files.move(p, aside.resolve(n));
      }
    }
    for (String suffix : List.of(".mv.db", ".trace.db")) {
      Path f = Path.of(dbBase + suffix);
      if (Files.exists(f)) {
        Files.createDirectories(aside.resolve("db-elsewhere"));
        Files.move(f, aside.resolve("db-elsewhere").resolve(f.getFileName()));
      }
    }
  }

  // The restored tree holds private keys: owner-only, like the data directory the installer makes.
  private static void ownerOnly(Path root) throws IOException {
    if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwx------" : "rw-------"));
      }
    }
  }

  private static void checkOwner(Path dataDir) throws IOException {
    if (!Files.exists(dataDir)) {
      return;
    }
    String owner = Files.getOwner(dataDir).getName();
    String me = System.getProperty("user.name");
    if (!owner.equals(me)) {
      throw new BackupException(dataDir + " belongs to " + owner + ", and this is " + me
          + ": run the restore as " + owner + " (sudo -u " + owner + " ...) so the service can read what it writes");
    }
  }

  static String sha256(Path file) throws IOException {
    MessageDigest sha = BackupArchive.sha256();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  // A JDBC URL may carry a password parameter; show only its scheme and host part.
  private static String redactUrl(String url) {
    int q = url.indexOf('?');
    int semi = url.indexOf(';');
    int cut = q < 0 ? semi : (semi < 0 ? q : Math.min(q, semi));
    return cut < 0 ? url : url.substring(0, cut);
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }
}
