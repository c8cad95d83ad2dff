package dev.airseal.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.SCrypt;

/**
 * Passphrase encryption of a backup archive, format {@code airseal-backup-enc/1}
 * (docs/runbooks/backup-restore.md):
 *
 * <pre>
 * header  = "airseal-backup-enc/1\n" || log2(N) || r || p || salt[16] || nonce-prefix[7] || check[32]
 * key || check = scrypt(passphrase UTF-8, salt, N, r, p, 64 bytes)
 * segment i = AES-256-GCM(key, nonce = nonce-prefix || uint32be(i) || last ? 1 : 0,
 *                         aad = header, 64 KiB of the archive; the last one 0..64 KiB)
 * </pre>
 *
 * <p>The segments are the STREAM construction (as in Tink's streaming AEAD and age): a changed,
 * reordered, dropped or truncated segment fails its tag, so a reader never hands out a byte that
 * was not authenticated. The check value tells a wrong passphrase apart from a damaged file; it
 * costs an attacker the same scrypt work as trying the first segment.
 */
public final class BackupCipher {
  public static final String FORMAT = "airseal-backup-enc/1";
  private static final byte[] MAGIC = (FORMAT + "\n").getBytes(StandardCharsets.US_ASCII);
  static final int SEGMENT = 64 * 1024;
  private static final int TAG = 16;
  private static final int SALT = 16;
  private static final int NONCE_PREFIX = 7;
  private static final int CHECK = 32;
  static final int HEADER = MAGIC.length + 3 + SALT + NONCE_PREFIX + CHECK;
  // scrypt N=2^17, r=8, p=1: 128 MiB and about half a second, the cost OWASP names for scrypt.
  private static final int LOG2_N = 17;
  private static final int R = 8;
  private static final int P = 1;
  // A header chooses the reader's cost: refuse more than 2^18 * 128 * r bytes of scrypt memory.
  private static final int MAX_LOG2_N = 18;
  private static final int MAX_R = 16;
  private static final int MAX_P = 4;
  private static final SecureRandom RANDOM = new SecureRandom();

  private BackupCipher() {}

  /** Whether {@code file} starts like an encrypted archive. */
  public static boolean isEncrypted(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return Arrays.equals(in.readNBytes(MAGIC.length), MAGIC);
    }
  }

  /**
   * An output stream that encrypts what is written to it into {@code out}; closing it writes the
   * last segment and closes {@code out}.
   */
  public static OutputStream encrypt(OutputStream out, char[] passphrase) throws IOException {
    return encrypt(out, passphrase, LOG2_N);
  }

  // Tests choose a cheaper scrypt; readers take the cost from the header.
  static OutputStream encrypt(OutputStream out, char[] passphrase, int log2n) throws IOException {
    byte[] salt = random(SALT);
    byte[] prefix = random(NONCE_PREFIX);
    byte[] derived = derive(passphrase, salt, log2n, R, P);
    ByteBuffer h = ByteBuffer.allocate(HEADER);
    h.put(MAGIC).put((byte) log2n).put((byte) R).put((byte) P).put(salt).put(prefix);
    h.put(derived, 32, CHECK);
    byte[] header = h.array();
    out.write(header);
    return new Sealing(out, key(derived), prefix, header);
  }

  /**
   * An input stream of the archive inside {@code in}. The header and the passphrase are checked
   * here; every segment is authenticated before its bytes are returned, and the end of the file
   * only counts once the segment marked last has been read.
   *
   * @throws BackupException for a file that is not encrypted, unsupported parameters, or a wrong
   *     passphrase; its reads throw it for a damaged, altered or truncated file
   */
  public static InputStream decrypt(InputStream in, char[] passphrase) throws IOException {
    byte[] header = in.readNBytes(HEADER);
    if (header.length < MAGIC.length || !Arrays.equals(header, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw new BackupException("not an encrypted backup: it does not start with " + FORMAT);
    }
    if (header.length < HEADER) {
      throw new BackupException("the encrypted backup is truncated: its header has " + header.length
          + " of " + HEADER + " bytes");
    }
    ByteBuffer h = ByteBuffer.wrap(header, MAGIC.length, HEADER - MAGIC.length);
    int log2n = h.get() & 0xff;
    int r = h.get() & 0xff;
    int p = h.get() & 0xff;
    if (log2n < 10 || log2n > MAX_LOG2_N || r < 1 || r > MAX_R || p < 1 || p > MAX_P) {
      throw new BackupException("the encrypted backup asks for scrypt N=2^" + log2n + ", r=" + r + ", p=" + p
          + ", outside what this version accepts (N up to 2^" + MAX_LOG2_N + ", r up to " + MAX_R
          + ", p up to " + MAX_P + ")");
    }
    byte[] salt = new byte[SALT];
    byte[] prefix = new byte[NONCE_PREFIX];
    byte[] check = new byte[CHECK];
    h.get(salt).get(prefix).get(check);
    byte[] derived = derive(passphrase, salt, log2n, r, p);
    if (!MessageDigest.isEqual(check, Arrays.copyOfRange(derived, 32, 64))) {
      throw new BackupException("wrong passphrase for this encrypted backup (or its header was altered)");
    }
    return new Opening(in, key(derived), prefix, header);
  }

  private static byte[] derive(char[] passphrase, byte[] salt, int log2n, int r, int p) {
    ByteBuffer utf8 = StandardCharsets.UTF_8.encode(CharBuffer.wrap(passphrase));
    byte[] pw = new byte[utf8.remaining()];
    utf8.get(pw);
    Arrays.fill(utf8.array(), (byte) 0);
    try {
      return SCrypt.generate(pw, salt, 1 << log2n, r, p, 64);
    } finally {
      Arrays.fill(pw, (byte) 0);
    }
  }

  private static SecretKeySpec key(byte[] derived) {
    SecretKeySpec k = new SecretKeySpec(derived, 0, 32, "AES");
    Arrays.fill(derived, (byte) 0);
    return k;
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  private static GCMParameterSpec nonce(byte[] prefix, long segment, boolean last) {
    if (segment > 0xffffffffL) {
      throw new BackupException("the archive is too large for " + FORMAT + " (2^32 segments)");
    }
    byte[] n = ByteBuffer.allocate(12).put(prefix).putInt((int) segment).put((byte) (last ? 1 : 0)).array();
    return new GCMParameterSpec(TAG * 8, n);
  }

  private static Cipher gcm(int mode, SecretKeySpec key, GCMParameterSpec nonce, byte[] header) {
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(mode, key, nonce);
      c.updateAAD(header);
      return c;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  private static final class Sealing extends OutputStream {
    private final OutputStream out;
    private final SecretKeySpec key;
    private final byte[] prefix;
    private final byte[] header;
    private final byte[] buf = new byte[SEGMENT];
    private int pos;
    private long segment;
    private boolean closed;

    Sealing(OutputStream out, SecretKeySpec key, byte[] prefix, byte[] header) {
      this.out = out;
      this.key = key;
      this.prefix = prefix;
      this.header = header;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (closed) {
        throw new IOException("closed");
      }
      while (len > 0) {
        // A full buffer is sealed only once more data arrives: the last segment may be full.
        if (pos == SEGMENT) {
          seal(false);
        }
        int n = Math.min(len, SEGMENT - pos);
        System.arraycopy(b, off, buf, pos, n);
        pos += n;
        off += n;
        len -= n;
      }
    }

    private void seal(boolean last) throws IOException {
      try {
        out.write(gcm(Cipher.ENCRYPT_MODE, key, nonce(prefix, segment, last), header).doFinal(buf, 0, pos));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
      segment++;
      pos = 0;
    }

    @Override
    public void close() throws IOException {
      if (closed) {
        return;
      }
      closed = true;
      try {
        seal(true);
      } finally {
        Arrays.fill(buf, (byte) 0);
        out.close();
      }
    }
  }

  private static final class Opening extends InputStream {
    private final PushbackInputStream in;
    private final SecretKeySpec key;
    private final byte[] prefix;
    private final byte[] header;
    private byte[] plain = new byte[0];
    private int pos;
    private long segment;
    private boolean lastSeen;
    private boolean closed;

    Opening(InputStream in, SecretKeySpec key, byte[] prefix, byte[] header) {
      this.in = new PushbackInputStream(in, 1);
      this.key = key;
      this.prefix = prefix;
      this.header = header;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (closed) {
        throw new IOException("closed");
      }
      if (len == 0) {
        return 0;
      }
      while (pos == plain.length) {
        if (lastSeen) {
          return -1;
        }
        next();
      }
      int n = Math.min(len, plain.length - pos);
      System.arraycopy(plain, pos, b, off, n);
      pos += n;
      return n;
    }

    private void next() throws IOException {
      byte[] sealed = in.readNBytes(SEGMENT + TAG);
      boolean last = true;
      if (sealed.length == SEGMENT + TAG) {
        int more = in.read();
        if (more >= 0) {
          in.unread(more);
          last = false;
        }
      }
      if (sealed.length < TAG) {
        throw new BackupException("the encrypted backup is truncated: segment " + segment + " has "
            + sealed.length + " bytes, less than its tag");
      }
      try {
        plain = gcm(Cipher.DECRYPT_MODE, key, nonce(prefix, segment, last), header).doFinal(sealed);
      } catch (AEADBadTagException e) {
        throw new BackupException("the encrypted backup is damaged, truncated or altered: segment " + segment
            + " fails authentication (AES-GCM tag); nothing from it is used", e);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
      pos = 0;
      segment++;
      lastSeen = last;
    }

    @Override
    public void close() throws IOException {
      closed = true;
      Arrays.fill(plain, (byte) 0);
      in.close();
    }
  }
}
