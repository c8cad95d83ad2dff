package dev.airseal.tuf;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * A gzipped POSIX ustar archive of regular files and directories, as Go's {@code archive/tar} and
 * Python's {@code tarfile} read it. Names longer than 100 bytes are split into ustar's prefix
 * field at a {@code /}; names that cannot be split are refused rather than written in an extension.
 */
final class TarGz {
  private static final int BLOCK = 512;

  private TarGz() {}

  /** Writes {@code entries} in iteration order; a {@code null} value is a directory. */
  static void write(OutputStream out, Map<String, byte[]> entries, long mtimeSeconds) throws IOException {
    GZIPOutputStream gz = new GZIPOutputStream(out);
    for (Map.Entry<String, byte[]> e : entries.entrySet()) {
      byte[] data = e.getValue();
      gz.write(header(e.getKey(), data, mtimeSeconds));
      if (data != null) {
        gz.write(data);
        gz.write(new byte[(BLOCK - data.length % BLOCK) % BLOCK]);
      }
    }
    gz.write(new byte[2 * BLOCK]);
    gz.finish();
  }

  private static byte[] header(String name, byte[] data, long mtime) {
    boolean dir = data == null;
    String full = dir && !name.endsWith("/") ? name + "/" : name;
    String prefix = "";
    String base = full;
    if (full.length() > 100) {
      int cut = full.lastIndexOf('/', dir ? full.length() - 2 : full.length() - 1);
      while (cut > 155) {
        cut = full.lastIndexOf('/', cut - 1);
      }
      if (cut <= 0 || full.length() - cut - 1 > 100) {
        throw new IllegalArgumentException("tar name too long for ustar: " + full);
      }
      prefix = full.substring(0, cut);
      base = full.substring(cut + 1);
    }
    byte[] h = new byte[BLOCK];
    put(h, 0, 100, base);
    put(h, 100, 8, octal(dir ? 0755 : 0644, 7));
    put(h, 108, 8, octal(0, 7));
    put(h, 116, 8, octal(0, 7));
    put(h, 124, 12, octal(dir ? 0 : data.length, 11));
    put(h, 136, 12, octal(mtime, 11));
    h[156] = (byte) (dir ? '5' : '0');
    put(h, 257, 6, "ustar");
    put(h, 263, 2, "00");
    put(h, 345, 155, prefix);
    // The checksum is computed with its own field read as spaces.
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    put(h, 148, 8, octal(sum, 6) + "\0 ");
    return h;
  }

  private static String octal(long v, int digits) {
    String s = Long.toOctalString(v);
    if (s.length() > digits) {
      throw new IllegalArgumentException("value " + v + " does not fit a ustar field");
    }
    return "0".repeat(digits - s.length()) + s;
  }

  private static void put(byte[] h, int off, int len, String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    if (b.length > len) {
      throw new IllegalArgumentException("tar field too long: " + s);
    }
    System.arraycopy(b, 0, h, off, b.length);
  }
}
