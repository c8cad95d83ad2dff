package dev.airseal.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A streaming POSIX ustar writer for regular files with short names (the bundle's names are at
 * most 77 bytes). Headers are deterministic (mtime 0, uid/gid 0, mode 0644), so the same content
 * gives the same archive.
 */
public final class TarWriter implements AutoCloseable {
  static final int BLOCK = 512;
  private final OutputStream out;
  private final byte[] buffer = new byte[1 << 16];

  public TarWriter(OutputStream out) {
    this.out = out;
  }

  public void file(String name, byte[] content) throws IOException {
    out.write(header(name, content.length));
    out.write(content);
    pad(content.length);
  }

  /** Writes {@code size} bytes from {@code in}; fails if it holds fewer. */
  public void file(String name, long size, InputStream in) throws IOException {
    out.write(header(name, size));
    long left = size;
    while (left > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (n < 0) {
        throw new IOException(name + ": source ended " + left + " bytes early");
      }
      out.write(buffer, 0, n);
      left -= n;
    }
    pad(size);
  }

  private void pad(long size) throws IOException {
    out.write(new byte[(int) ((BLOCK - size % BLOCK) % BLOCK)]);
  }

  /** Writes the end-of-archive marker (two zero blocks); does not close the stream. */
  public void finish() throws IOException {
    out.write(new byte[2 * BLOCK]);
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }

  static byte[] header(String name, long size) {
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    if (n.length > 100) {
      throw new IllegalArgumentException("tar name longer than 100 bytes: " + name);
    }
    byte[] h = new byte[BLOCK];
    System.arraycopy(n, 0, h, 0, n.length);
    octal(h, 100, 8, 0644);
    octal(h, 108, 8, 0);
    octal(h, 116, 8, 0);
    octal(h, 124, 12, size);
    octal(h, 136, 12, 0);
    h[156] = '0';
    System.arraycopy("ustar\00000".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 8);
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    octal(h, 148, 7, sum);
    h[155] = ' ';
    return h;
  }

  // NUL-terminated zero-padded octal, as Go's archive/tar writes it.
  private static void octal(byte[] h, int off, int len, long value) {
    String s = Long.toOctalString(value);
    if (s.length() > len - 1) {
      throw new IllegalArgumentException("value " + value + " does not fit a " + len + "-byte tar field");
    }
    String padded = "0".repeat(len - 1 - s.length()) + s;
    System.arraycopy(padded.getBytes(StandardCharsets.US_ASCII), 0, h, off, len - 1);
    h[off + len - 1] = 0;
  }
}
