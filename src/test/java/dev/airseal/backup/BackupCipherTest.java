package dev.airseal.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackupCipherTest {
  private static final char[] PASS = "correct horse battery staple".toCharArray();
  private static final int SEG = BackupCipher.SEGMENT;
  private static final int SEALED = SEG + 16;
  private static final int H = BackupCipher.HEADER;

  @Test
  void decrypt_returnsWhatWasEncrypted_atEverySegmentBoundary() throws IOException {
    for (int size : new int[] {0, 1, SEG - 1, SEG, SEG + 1, 3 * SEG + 5}) {
      byte[] plain = random(size, size);
      byte[] sealed = encrypt(plain, PASS);
      int segments = Math.max(1, (size + SEG - 1) / SEG);
      assertThat(sealed).as("size %d", size).hasSize(H + size + 16 * segments);
      assertThat(decrypt(sealed, PASS)).as("size %d", size).isEqualTo(plain);
    }
  }

  @Test
  void encrypt_derivesTheKeyWithScryptAtTheDefaultCost() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BackupCipher.encrypt(out, PASS).close();
    byte[] sealed = out.toByteArray();
    assertThat(new String(sealed, 0, 21, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("airseal-backup-enc/1\n");
    assertThat(Arrays.copyOfRange(sealed, 21, 24)).containsExactly(17, 8, 1);
    assertThat(decrypt(sealed, PASS)).isEmpty();
  }

  @Test
  void encrypt_usesAFreshSaltAndNonceEachTime() throws IOException {
    byte[] plain = random(100, 1);
    byte[] a = encrypt(plain, PASS);
    byte[] b = encrypt(plain, PASS);
    assertThat(Arrays.copyOfRange(a, 24, H)).isNotEqualTo(Arrays.copyOfRange(b, 24, H));
    assertThat(Arrays.copyOfRange(a, H, a.length)).isNotEqualTo(Arrays.copyOfRange(b, H, b.length));
  }

  @Test
  void decrypt_refusesAWrongPassphrase_withoutShowingEither() throws IOException {
    byte[] sealed = encrypt(random(1000, 2), PASS);
    assertThatThrownBy(() -> decrypt(sealed, "correct horse battery stapler".toCharArray()))
        .isInstanceOf(BackupException.class)
        .hasMessageStartingWith("wrong passphrase")
        .hasMessageNotContaining("horse");
  }

  @Test
  void decrypt_refusesAFlippedByteInAnySegment() throws IOException {
    byte[] plain = random(3 * SEG + 5, 3);
    byte[] sealed = encrypt(plain, PASS);
    for (int segment = 0; segment < 4; segment++) {
      byte[] bad = sealed.clone();
      bad[H + segment * SEALED + 7] ^= 1;
      int s = segment;
      assertThatThrownBy(() -> decrypt(bad, PASS))
          .as("segment %d", s)
          .isInstanceOf(BackupException.class)
          .hasMessageContaining("segment " + segment + " fails authentication");
    }
  }

  @Test
  void decrypt_refusesATruncatedFile_evenAtASegmentBoundary() throws IOException {
    byte[] sealed = encrypt(random(3 * SEG + 5, 4), PASS);
    byte[] lastSegmentDropped = Arrays.copyOf(sealed, H + 3 * SEALED);
    assertThatThrownBy(() -> decrypt(lastSegmentDropped, PASS))
        .hasMessageContaining("segment 2 fails authentication");
    byte[] cutMidSegment = Arrays.copyOf(sealed, sealed.length - 3);
    assertThatThrownBy(() -> decrypt(cutMidSegment, PASS)).hasMessageContaining("segment 3 fails authentication");
    byte[] headerOnly = Arrays.copyOf(sealed, H + 5);
    assertThatThrownBy(() -> decrypt(headerOnly, PASS)).hasMessageContaining("truncated");
  }

  @Test
  void decrypt_refusesReorderedSegments() throws IOException {
    byte[] sealed = encrypt(random(3 * SEG + 5, 5), PASS);
    byte[] swapped = sealed.clone();
    System.arraycopy(sealed, H, swapped, H + SEALED, SEALED);
    System.arraycopy(sealed, H + SEALED, swapped, H, SEALED);
    assertThatThrownBy(() -> decrypt(swapped, PASS)).hasMessageContaining("segment 0 fails authentication");
  }

  @Test
  void decrypt_refusesAnAlteredHeader() throws IOException {
    byte[] sealed = encrypt(random(10, 6), PASS);
    byte[] saltChanged = sealed.clone();
    saltChanged[H - 40] ^= 1;
    assertThatThrownBy(() -> decrypt(saltChanged, PASS)).hasMessageContaining("or its header was altered");
    byte[] costly = sealed.clone();
    costly[21] = 30;
    assertThatThrownBy(() -> decrypt(costly, PASS)).hasMessageContaining("scrypt N=2^30");
  }

  @Test
  void decrypt_refusesAPlainArchive() {
    byte[] zip = {'P', 'K', 3, 4, 0, 0};
    assertThatThrownBy(() -> decrypt(zip, PASS)).hasMessageContaining("not an encrypted backup");
  }

  static byte[] encrypt(byte[] plain, char[] pass) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    // scrypt at 2^10 keeps the suite fast; the default cost has its own test
    try (OutputStream enc = BackupCipher.encrypt(out, pass, 10)) {
      // in uneven pieces, as a network stream arrives
      for (int off = 0; off < plain.length; off += 7001) {
        enc.write(plain, off, Math.min(7001, plain.length - off));
      }
    }
    return out.toByteArray();
  }

  static byte[] decrypt(byte[] sealed, char[] pass) throws IOException {
    return BackupCipher.decrypt(new ByteArrayInputStream(sealed), pass).readAllBytes();
  }

  static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }
}
