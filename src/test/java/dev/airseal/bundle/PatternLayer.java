package dev.airseal.bundle;

import dev.airseal.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * An image layer of any size made on the fly: one random MiB repeated, each copy stamped with its
 * index so no two MiB are alike. Nothing of its size is held in memory or kept on disk.
 */
final class PatternLayer {
  private static final int BLOCK = 1 << 20;

  private final byte[] block = new byte[BLOCK];
  private final long size;
  private final Digest digest;

  PatternLayer(long size) {
    this.size = size;
    new SecureRandom().nextBytes(block);
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      try (InputStream in = open(); OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), md)) {
        in.transferTo(out);
      }
      digest = new Digest("sha256", HexFormat.of().formatHex(md.digest()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  long size() {
    return size;
  }

  Digest digest() {
    return digest;
  }

  InputStream open() {
    return new InputStream() {
      private long pos;

      @Override
      public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (pos >= size) {
          return -1;
        }
        int inBlock = (int) (pos % BLOCK);
        int n = (int) Math.min(Math.min(len, BLOCK - inBlock), size - pos);
        System.arraycopy(block, inBlock, b, off, n);
        // The first 8 bytes of each MiB hold its index.
        long index = pos / BLOCK;
        for (int i = inBlock; i < 8 && i < inBlock + n; i++) {
          b[off + i - inBlock] = (byte) (index >>> (8 * i));
        }
        pos += n;
        return n;
      }
    };
  }
}
