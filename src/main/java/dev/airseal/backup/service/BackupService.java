package dev.airseal.backup.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.backup.BackupArchive;
import dev.airseal.backup.BackupException;
import dev.airseal.config.AirsealConfig;
import dev.airseal.log.Hex;
import dev.airseal.log.rekor.RekorLog;
import dev.airseal.store.AuditLog;
import dev.airseal.store.H2Database;
import dev.airseal.store.TrustRootVersions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Online backup: H2's consistent {@code BACKUP TO} of the database plus every file under the data
 * directory (the software keys, the TSA chain, the TUF repository), in one archive with a SHA-256
 * manifest. Keys inside an HSM or KMS are not files here and stay where they are.
 */
@ApplicationScoped
public class BackupService {
  private static final Logger LOG = Logger.getLogger(BackupService.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  /** Working files of a backup or restore in progress, and what a restore set aside. */
  public static final List<String> NOT_BACKED_UP_PREFIXES =
      List.of(".backup-", ".restore-", "pre-restore-");

  @Inject AirsealConfig config;
  @Inject Instance<DataSource> dataSource;
  @Inject Instance<RekorLog> rekorLog;

  @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev")
  String version;

  private final ReentrantLock busy = new ReentrantLock();

  /** Working directories of archives made but not yet handed out. */
  private final java.util.Set<Path> pending = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** A finished archive in a working directory; {@link #discard(Made)} removes it. */
  public record Made(Path file, String name, String sha256, long bytes, Path workDir) {}

  /** Removes an archive once it has been handed out (or could not be). */
  public void discard(Made made) {
    deleteTree(made.workDir());
    pending.remove(made.workDir());
  }

  public Made make(String actor) {
    if (!busy.tryLock()) {
      throw new BackupException("another backup is running; try again when it has finished");
    }
    removeLeftovers();
    Path work = Path.of(config.dataDir()).resolve(".backup-" + UUID.randomUUID());
    String name = "airseal-backup-" + STAMP.format(Instant.now()) + ".zip";
    try {
      String product = H2Database.productName(dataSource.get());
      if (!"H2".equals(product)) {
        throw new BackupException(
            "the database is " + product + ", not the embedded H2: back it up with its own tools"
                + " (pg_dump, see docs/runbooks/backup-restore.md) and copy the key files by hand");
      }
      Files.createDirectories(work);
      Made made = write(work, name);
      pending.add(work);
      audit(actor, name, "ok",
          JSON.createObjectNode().put("sha256", made.sha256()).put("bytes", made.bytes()).toString());
      LOG.infof("backup %s written for %s: %d bytes, sha256 %s", name, actor, made.bytes(), made.sha256());
      return made;
    } catch (IOException | H2Database.H2Exception | RuntimeException e) {
      deleteTree(work);
      audit(actor, name, "failed", JSON.createObjectNode().put("reason", String.valueOf(e.getMessage())).toString());
      if (e instanceof BackupException b) {
        throw b;
      }
      throw new BackupException("backup failed: " + e.getMessage(), e);
    } finally {
      busy.unlock();
    }
  }

  // A backup cut short by a crash leaves its working directory: a copy of the database and keys
  // nobody asked to keep. Only this service writes backups into its data directory (H2's file lock
  // keeps a second one out): any such directory not still being handed out is a leftover.
  private void removeLeftovers() {
    Path root = Path.of(config.dataDir());
    try (Stream<Path> top = Files.list(root)) {
      top.filter(p -> p.getFileName().toString().startsWith(".backup-") && !pending.contains(p))
          .forEach(BackupService::deleteTree);
    } catch (IOException e) {
      LOG.warnf("cannot look for leftover backup directories in %s: %s", root, e.getMessage());
    }
  }

  private Made write(Path work, String name) throws IOException, H2Database.H2Exception {
    ObjectNode info = JSON.createObjectNode().put("format", "airseal-backup/1")
        .put("createdAt", Instant.now().toString()).put("airsealVersion", version).put("database", "H2");
    // Read before the database copy, which therefore holds at least this tree.
    if (rekorLog.isResolvable()) {
      try {
        var head = rekorLog.get().log().published().head();
        info.putObject("log").put("treeSizeAtLeast", head.size()).put("origin", rekorLog.get().log().origin())
            .put("rootHashAtThatSize", Hex.encode(head.root()));
      } catch (IllegalStateException notRunning) {
        // the log is not open (autostart off): the database copy is still complete
      }
    }
    new TrustRootVersions(dataSource.get()).current().ifPresent(v -> info.put("trustRootVersion", v.version()));

    Path dbZip = work.resolve("db.zip");
    H2Database.backupTo(dataSource.get(), dbZip);
    Path archive = work.resolve(name);
    MessageDigest sha = BackupArchive.sha256();
    try (OutputStream out = new DigestOutputStream(Files.newOutputStream(archive), sha)) {
      BackupArchive.Writer w = new BackupArchive.Writer(out);
      w.add(BackupArchive.INFO, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(info));
      try (ZipInputStream db = new ZipInputStream(Files.newInputStream(dbZip))) {
        for (ZipEntry e; (e = db.getNextEntry()) != null; ) {
          if (!e.isDirectory()) {
            w.add(BackupArchive.DB_DIR + Path.of(e.getName()).getFileName(), db);
          }
        }
      }
      for (Path f : dataFiles()) {
        try (InputStream in = Files.newInputStream(f)) {
          w.add(BackupArchive.DATA_DIR + relativeName(f), in);
        }
      }
      w.finish();
    }
    return new Made(archive, name, HexFormat.of().formatHex(sha.digest()), Files.size(archive), work);
  }

  // Every regular file under the data directory but the live database files (copied consistently
  // above) and the working files of backups and restores.
  private List<Path> dataFiles() throws IOException {
    Path root = Path.of(config.dataDir());
    List<Path> out = new ArrayList<>();
    try (Stream<Path> all = Files.walk(root)) {
      all.filter(Files::isRegularFile)
          .filter(p -> !p.equals(root))
          .filter(p -> NOT_BACKED_UP_PREFIXES.stream().noneMatch(root.relativize(p).getName(0).toString()::startsWith))
          .filter(p -> !isH2File(p.getFileName().toString()))
          .sorted(Comparator.naturalOrder())
          .forEach(out::add);
    }
    return out;
  }

  static boolean isH2File(String name) {
    return name.endsWith(".mv.db") || name.endsWith(".trace.db") || name.endsWith(".lock.db")
        || name.endsWith(".tempFile");
  }

  private String relativeName(Path f) {
    Path rel = Path.of(config.dataDir()).relativize(f);
    List<String> parts = new ArrayList<>();
    rel.forEach(p -> parts.add(p.toString()));
    return String.join("/", parts);
  }

  private void audit(String actor, String subject, String outcome, String detail) {
    try {
      new AuditLog(dataSource.get()).append("backup", actor, subject, outcome, detail);
    } catch (RuntimeException e) {
      LOG.warnf("cannot audit backup %s (%s): %s", subject, outcome, e.getMessage());
    }
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      LOG.warnf("cannot remove backup working directory %s: %s", dir, e.getMessage());
    }
  }
}
