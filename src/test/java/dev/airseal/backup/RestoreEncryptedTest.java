package dev.airseal.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An encrypted archive that cannot be opened leaves the install exactly as it was. */
class RestoreEncryptedTest {
  private static final char[] PASS = "a site passphrase".toCharArray();

  @Test
  void restore_refusesAWrongPassphrase_beforeTouchingTheInstall(@TempDir Path tmp) throws IOException {
    Path archive = Files.write(tmp.resolve("site.zip.enc"), BackupCipherTest.encrypt(archive(), PASS));
    Path data = install(tmp);
    assertThatThrownBy(() -> restore(archive, data, Optional.of("another passphrase".toCharArray())))
        .isInstanceOf(BackupException.class)
        .hasMessageStartingWith("wrong passphrase");
    assertUntouched(data);
  }

  @Test
  void restore_refusesAnAlteredEncryptedArchive(@TempDir Path tmp) throws IOException {
    byte[] sealed = BackupCipherTest.encrypt(archive(), PASS);
    Path data = install(tmp);
    for (int at : new int[] {BackupCipher.HEADER + 3, sealed.length / 2, sealed.length - 30}) {
      byte[] bad = sealed.clone();
      bad[at] ^= 0x40;
      Path archive = Files.write(tmp.resolve("altered-" + at + ".zip.enc"), bad);
      assertThatThrownBy(() -> restore(archive, data, Optional.of(PASS)))
          .as("byte %d", at)
          .isInstanceOf(BackupException.class)
          .hasMessageContaining("fails authentication");
      assertUntouched(data);
    }
  }

  @Test
  void restore_authenticatesTheEncryptedFileToItsEnd_pastWhatTheZipReaderReads(@TempDir Path tmp)
      throws IOException {
    // The zip reader stops at the central directory; bytes after the zip stand for any it skips.
    byte[] zip = archive();
    byte[] plain = java.util.Arrays.copyOf(zip, zip.length + 2 * BackupCipher.SEGMENT);
    byte[] sealed = BackupCipherTest.encrypt(plain, PASS);
    sealed[sealed.length - 30] ^= 0x40;
    Path archive = Files.write(tmp.resolve("altered-tail.zip.enc"), sealed);
    Path data = install(tmp);
    assertThatThrownBy(() -> restore(archive, data, Optional.of(PASS)))
        .isInstanceOf(BackupException.class)
        .hasMessageContaining("fails authentication");
    assertUntouched(data);
  }

  @Test
  void restore_saysWhenThePassphraseIsMissingOrNotNeeded(@TempDir Path tmp) throws IOException {
    Path sealed = Files.write(tmp.resolve("site.zip.enc"), BackupCipherTest.encrypt(archive(), PASS));
    Path plain = Files.write(tmp.resolve("site.zip"), archive());
    Path data = install(tmp);
    assertThatThrownBy(() -> restore(sealed, data, Optional.empty()))
        .hasMessageContaining("is encrypted (airseal-backup-enc/1): give its passphrase with --encrypt-passphrase-file");
    assertThatThrownBy(() -> restore(plain, data, Optional.of(PASS)))
        .hasMessageContaining("is not encrypted, but a passphrase was given");
    assertUntouched(data);
  }

  private static Restore.Result restore(Path archive, Path data, Optional<char[]> pass) throws IOException {
    Restore.Target h2 = new Restore.Target(data, "jdbc:h2:file:" + data.resolve("db/airseal"), "sa", "");
    return Restore.run(archive, h2, Optional.empty(), false, "test", pass);
  }

  // Several segments: a key file larger than one.
  private static byte[] archive() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BackupArchive.Writer w = new BackupArchive.Writer(out);
    w.add(BackupArchive.INFO, "{\"format\":\"airseal-backup/1\"}".getBytes(StandardCharsets.UTF_8));
    w.add("db/airseal.mv.db", BackupCipherTest.random(3000, 7));
    w.add("data/keys/log-key.pem", BackupCipherTest.random(3 * BackupCipher.SEGMENT, 8));
    w.finish();
    return out.toByteArray();
  }

  private static Path install(Path tmp) throws IOException {
    Path data = Files.createDirectories(tmp.resolve("data"));
    Files.writeString(Files.createDirectories(data.resolve("keys")).resolve("log-key.pem"), "current key");
    return data;
  }

  private static void assertUntouched(Path data) throws IOException {
    assertThat(Files.readString(data.resolve("keys/log-key.pem"))).isEqualTo("current key");
    try (Stream<Path> left = Files.list(data)) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly("keys");
    }
  }
}
