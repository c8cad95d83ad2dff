package dev.airseal.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupArchiveTest {
  private static final String INFO = "{\"format\":\"airseal-backup/1\"}";

  @Test
  void extract_returnsWhatWasWritten_withAManifestSha256sumReads(@TempDir Path tmp) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BackupArchive.Writer w = new BackupArchive.Writer(out);
    w.add("backup.json", INFO.getBytes(StandardCharsets.UTF_8));
    w.add("data/keys/log-key.pem", "key".getBytes(StandardCharsets.UTF_8));
    w.finish();
    BackupManifest m = BackupArchive.extract(new ByteArrayInputStream(out.toByteArray()), tmp);
    assertThat(m.files()).containsOnlyKeys("backup.json", "data/keys/log-key.pem");
    assertThat(Files.readString(tmp.resolve("data/keys/log-key.pem"))).isEqualTo("key");
    // sha256sum of "key"
    assertThat(new String(m.encode(), StandardCharsets.UTF_8))
        .contains("2c70e12b7a0646f92279f427c7b38e7334d8e5389cff167a1dc30e73f826b683  data/keys/log-key.pem\n");
  }

  @Test
  void extract_refusesAFileWhoseHashDiffers(@TempDir Path tmp) {
    byte[] zip = zip(Map.of("backup.json", INFO, "data/keys/log-key.pem", "tampered"),
        manifestFor(Map.of("backup.json", INFO, "data/keys/log-key.pem", "key")));
    assertThatThrownBy(() -> BackupArchive.extract(new ByteArrayInputStream(zip), tmp))
        .isInstanceOf(BackupException.class)
        .hasMessageContaining("data/keys/log-key.pem has SHA-256")
        .hasMessageContaining("the manifest says 2c70e12b");
  }

  @Test
  void extract_refusesAFileTheManifestDoesNotName(@TempDir Path tmp) {
    byte[] zip = zip(Map.of("backup.json", INFO, "data/extra", "x"), manifestFor(Map.of("backup.json", INFO)));
    assertThatThrownBy(() -> BackupArchive.extract(new ByteArrayInputStream(zip), tmp))
        .hasMessageContaining("data/extra is in the archive but not in the manifest");
  }

  @Test
  void extract_refusesAManifestLineWithoutItsFile(@TempDir Path tmp) {
    byte[] zip = zip(Map.of("backup.json", INFO), manifestFor(Map.of("backup.json", INFO, "db/airseal.mv.db", "x")));
    assertThatThrownBy(() -> BackupArchive.extract(new ByteArrayInputStream(zip), tmp))
        .hasMessageContaining("files in the manifest but not in the archive: [db/airseal.mv.db]");
  }

  @Test
  void extract_refusesNamesThatLeaveTheDirectory(@TempDir Path tmp) {
    byte[] zip = zip(Map.of("backup.json", INFO, "data/../../evil", "x"), manifestFor(Map.of("backup.json", INFO)));
    assertThatThrownBy(() -> BackupArchive.extract(new ByteArrayInputStream(zip), tmp.resolve("in")))
        .hasMessageContaining("refusing archive entry name 'data/../../evil'");
    assertThat(tmp.resolve("evil")).doesNotExist();
  }

  @Test
  void extract_refusesAnArchiveWithoutManifest(@TempDir Path tmp) {
    byte[] zip = zip(Map.of("backup.json", INFO), null);
    assertThatThrownBy(() -> BackupArchive.extract(new ByteArrayInputStream(zip), tmp))
        .hasMessageContaining("has no MANIFEST.sha256");
  }

  @Test
  void restore_refusesAPostgresqlInstallClearly(@TempDir Path tmp) {
    Restore.Target pg = new Restore.Target(tmp, "jdbc:postgresql://db.site:5432/airseal?password=x", "a", "b");
    assertThatThrownBy(() -> Restore.run(tmp.resolve("any.zip"), pg, Optional.empty(), false, "t"))
        .isInstanceOf(BackupException.class)
        .hasMessageContaining("embedded H2 database only")
        .hasMessageContaining("jdbc:postgresql://db.site:5432/airseal:")
        .hasMessageContaining("pg_restore")
        .hasMessageNotContaining("password=x");
  }

  @Test
  void restore_refusesAnArchiveWithAnotherSha256(@TempDir Path tmp) throws IOException {
    Path archive = Files.write(tmp.resolve("b.zip"), zip(Map.of("backup.json", INFO), manifestFor(Map.of("backup.json", INFO))));
    Restore.Target h2 = new Restore.Target(tmp.resolve("data"), "jdbc:h2:file:" + tmp.resolve("data/db/airseal"), "a", "");
    assertThatThrownBy(() -> Restore.run(archive, h2, Optional.of("00".repeat(32)), false, "t"))
        .hasMessageContaining("not the expected 0000");
    assertThat(tmp.resolve("data")).doesNotExist();
  }

  @Test
  void restore_refusesDatabaseFilesUnderData_beforeTouchingTheInstall(@TempDir Path tmp) throws IOException {
    Map<String, String> files = Map.of("backup.json", INFO, "db/airseal.mv.db", "db",
        "data/db/airseal.mv.db", "collides with the database");
    Path archive = Files.write(tmp.resolve("crafted.zip"), zip(files, manifestFor(files)));
    Path data = Files.createDirectories(tmp.resolve("data"));
    Files.writeString(Files.createDirectories(data.resolve("keys")).resolve("log-key.pem"), "current key");
    Restore.Target h2 = new Restore.Target(data, "jdbc:h2:file:" + data.resolve("db/airseal"), "a", "");
    assertThatThrownBy(() -> Restore.run(archive, h2, Optional.empty(), false, "t"))
        .hasMessageContaining("data/db/airseal.mv.db, which admin backup never writes");
    assertThat(Files.readString(data.resolve("keys/log-key.pem"))).isEqualTo("current key");
    try (var left = Files.list(data)) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly("keys");
    }
  }

  private static String manifestFor(Map<String, String> files) {
    Map<String, String> hashes = new LinkedHashMap<>();
    files.forEach((k, v) -> hashes.put(k, java.util.HexFormat.of().formatHex(
        BackupArchive.sha256().digest(v.getBytes(StandardCharsets.UTF_8)))));
    return new String(new BackupManifest(hashes).encode(), StandardCharsets.UTF_8);
  }

  private static byte[] zip(Map<String, String> files, String manifest) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (ZipOutputStream z = new ZipOutputStream(out)) {
        for (var e : new java.util.TreeMap<>(files).entrySet()) {
          z.putNextEntry(new ZipEntry(e.getKey()));
          z.write(e.getValue().getBytes(StandardCharsets.UTF_8));
        }
        if (manifest != null) {
          z.putNextEntry(new ZipEntry(BackupManifest.NAME));
          z.write(manifest.getBytes(StandardCharsets.UTF_8));
        }
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
