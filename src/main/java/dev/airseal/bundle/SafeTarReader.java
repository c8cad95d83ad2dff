package dev.airseal.bundle;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Reads a bundle archive as hostile input: a plain or gzip-compressed ustar stream, one entry at a
 * time, never more than one block ahead. It refuses what a transfer bundle never holds (links,
 * devices, extension headers, names outside the layout, duplicates) and bounds what it inflates,
 * absolutely and by ratio, so that a small file cannot become an unbounded stream.
 */
final class SafeTarReader {
  /** Limits on what one archive may expand to. */
  record Limits(long maxBytes, long maxRatio, long maxEntries) {}

  /** A regular file entry; {@code content} yields exactly {@code size} bytes or fails. */
  record Entry(String name, long size, InputStream content) {}

  /** A hostile or damaged archive, found while streaming. */
  static final class Malformed extends IOException {
    private static final long serialVersionUID = 1L;

    Malformed(String message) {
      super(message);
    }
  }

  private static final int BLOCK = TarWriter.BLOCK;
  // Ratio checks start after this much output: small archives of JSON compress well and are harmless.
  private static final long RATIO_GRACE = 1L << 20;
  private static final Pattern BLOB = Pattern.compile("blobs/sha256/[a-f0-9]{64}");
  private static final Set<String> DIRECTORIES = Set.of("blobs/", "blobs/sha256/");

  private final Limits limits;
  private final Counting raw;
  private final Counting plain;
  private final boolean compressed;
  private final Set<String> seen = new HashSet<>();
  private long entries;
  private long remaining;
  private long padding;
  private boolean ended;

  SafeTarReader(InputStream in, Limits limits) throws IOException {
    this.limits = limits;
    this.raw = new Counting(in, null, 0);
    PushbackInputStream peek = new PushbackInputStream(raw, 2);
    byte[] magic = peek.readNBytes(2);
    peek.unread(magic);
    compressed = magic.length == 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b;
    InputStream body = compressed ? new GZIPInputStream(peek, 1 << 16) : peek;
    this.plain = new Counting(body, raw, compressed ? limits.maxRatio() : 0);
  }

  boolean compressed() {
    return compressed;
  }

  /** The next regular file; empty at the end-of-archive marker. Directory entries are skipped. */
  Optional<Entry> next() throws IOException {
    skipRest();
    while (true) {
      byte[] h = plain.readNBytes(BLOCK);
      if (h.length == 0 && entries == 0) {
        throw new Malformed("the file is empty");
      }
      if (h.length < BLOCK) {
        throw new Malformed("archive is truncated: it ends inside a header (after " + entries + " entries)");
      }
      if (isZero(h)) {
        byte[] second = plain.readNBytes(BLOCK);
        if (second.length < BLOCK || !isZero(second)) {
          throw new Malformed("archive is truncated or corrupt: one zero block where the end marker needs two");
        }
        drainTrailer();
        ended = true;
        return Optional.empty();
      }
      Entry e = entry(h);
      if (e != null) {
        return Optional.of(e);
      }
    }
  }

  private Entry entry(byte[] h) throws IOException {
    verifyChecksum(h);
    String name = name(h);
    char type = (char) h[156];
    if (++entries > limits.maxEntries()) {
      throw new Malformed("archive holds more than " + limits.maxEntries() + " entries");
    }
    switch (type) {
      case '0', '\0', '5' -> { }
      case '1' -> throw new Malformed("entry \"" + name + "\" is a hard link: links are not allowed");
      case '2' -> throw new Malformed("entry \"" + name + "\" is a symbolic link: links are not allowed");
      case '3', '4' -> throw new Malformed("entry \"" + name + "\" is a device file: only regular files are allowed");
      case '6' -> throw new Malformed("entry \"" + name + "\" is a FIFO: only regular files are allowed");
      case 'x', 'g', 'L', 'K' -> throw new Malformed(
          "entry \"" + name + "\" is a tar extension header (type " + type + "): bundle names never need one");
      default -> throw new Malformed("entry \"" + name + "\" has unsupported tar type '" + type + "'");
    }
    checkName(name, type == '5');
    if (!seen.add(name)) {
      throw new Malformed("entry \"" + name + "\" appears twice in the archive");
    }
    long size = size(h, name);
    if (type == '5') {
      if (size != 0) {
        throw new Malformed("directory entry \"" + name + "\" has a size");
      }
      return null;
    }
    if (size > limits.maxBytes()) {
      throw new Malformed("entry \"" + name + "\" declares " + size + " bytes, above the limit of " + limits.maxBytes());
    }
    remaining = size;
    padding = (BLOCK - size % BLOCK) % BLOCK;
    return new Entry(name, size, new Content(name));
  }

  private static void checkName(String name, boolean dir) throws Malformed {
    if (name.isEmpty()) {
      throw new Malformed("an entry has an empty name");
    }
    if (name.startsWith("/")) {
      throw new Malformed("entry \"" + name + "\" has an absolute path");
    }
    if (name.contains("\\") || name.indexOf('\0') >= 0) {
      throw new Malformed("entry \"" + name + "\" has a backslash or NUL in its name");
    }
    for (String part : name.split("/")) {
      if (part.equals("..")) {
        throw new Malformed("entry \"" + name + "\" traverses out of the archive (..)");
      }
    }
    boolean ok = dir ? DIRECTORIES.contains(name)
        : name.equals("oci-layout") || name.equals("index.json") || BLOB.matcher(name).matches();
    if (!ok) {
      throw new Malformed("entry \"" + name + "\" is not part of an OCI layout"
          + " (only oci-layout, index.json and blobs/sha256/<64 hex> are allowed)");
    }
  }

  private static String name(byte[] h) {
    String n = field(h, 0, 100);
    String magic = field(h, 257, 6);
    if (magic.startsWith("ustar")) {
      String prefix = field(h, 345, 155);
      if (!prefix.isEmpty()) {
        n = prefix + "/" + n;
      }
    }
    return n;
  }

  private static String field(byte[] h, int off, int len) {
    int end = off;
    while (end < off + len && h[end] != 0) {
      end++;
    }
    return new String(h, off, end - off, StandardCharsets.UTF_8);
  }

  private static long size(byte[] h, String name) throws Malformed {
    if ((h[124] & 0x80) != 0) {
      throw new Malformed("entry \"" + name + "\" uses a binary size field (over 8 GiB)");
    }
    return octal(h, 124, 12, name, "size");
  }

  private static long octal(byte[] h, int off, int len, String name, String what) throws Malformed {
    String s = field(h, off, len).trim();
    if (s.isEmpty()) {
      return 0;
    }
    try {
      return Long.parseLong(s, 8);
    } catch (NumberFormatException e) {
      throw new Malformed("entry \"" + name + "\" has a corrupt " + what + " field \"" + s + "\"");
    }
  }

  private static void verifyChecksum(byte[] h) throws Malformed {
    long want;
    String s = field(h, 148, 8).trim();
    try {
      want = Long.parseLong(s, 8);
    } catch (NumberFormatException e) {
      throw new Malformed("corrupt tar header: checksum field \"" + s + "\" is not octal");
    }
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xff);
    }
    if (sum != want) {
      throw new Malformed("corrupt tar header: checksum " + want + " does not match the header (" + sum + ")");
    }
  }

  private static boolean isZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private void skipRest() throws IOException {
    if (remaining > 0) {
      throw new IllegalStateException("the previous entry was not read to its end");
    }
    if (padding > 0) {
      byte[] pad = plain.readNBytes((int) padding);
      if (pad.length < padding) {
        throw new Malformed("archive is truncated: it ends inside an entry's padding");
      }
      padding = 0;
    }
  }

  // Writers pad the archive to a record size with zeros; anything else after the marker is smuggled.
  private void drainTrailer() throws IOException {
    byte[] buf = new byte[1 << 16];
    int n;
    while ((n = plain.read(buf)) > 0) {
      for (int i = 0; i < n; i++) {
        if (buf[i] != 0) {
          throw new Malformed("archive has data after its end-of-archive marker");
        }
      }
    }
    raw.drain();
  }

  /** SHA-256 of the file as received ({@code sha256:<hex>}), once the end marker was read. */
  String fileDigest() {
    if (!ended) {
      throw new IllegalStateException("archive not read to its end");
    }
    return "sha256:" + HexFormat.of().formatHex(raw.digest.digest());
  }

  long fileSize() {
    return raw.count;
  }

  private final class Content extends InputStream {
    private final String name;

    Content(String name) {
      this.name = name;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (remaining == 0) {
        return -1;
      }
      int n = plain.read(b, off, (int) Math.min(len, remaining));
      if (n < 0) {
        throw new Malformed("archive is truncated: entry \"" + name + "\" ends " + remaining + " bytes early");
      }
      remaining -= n;
      return n;
    }
  }

  /** Counts (and for the raw stream, hashes) bytes; the inflated stream enforces the limits. */
  private final class Counting extends FilterInputStream {
    final MessageDigest digest;
    final Counting source;
    final long ratio;
    long count;

    Counting(InputStream in, Counting source, long ratio) {
      super(in);
      this.source = source;
      this.ratio = ratio;
      try {
        this.digest = source == null ? MessageDigest.getInstance("SHA-256") : null;
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        count += n;
        if (digest != null) {
          digest.update(b, off, n);
        } else {
          check();
        }
      }
      return n;
    }

    private void check() throws Malformed {
      if (count > limits.maxBytes()) {
        throw new Malformed("archive expands beyond the limit of " + limits.maxBytes() + " bytes");
      }
      if (ratio > 0 && count > RATIO_GRACE && count > ratio * Math.max(1, source.count)) {
        throw new Malformed("decompression bomb: " + source.count + " compressed bytes expand to over "
            + count + " (more than " + ratio + " times)");
      }
    }

    void drain() throws IOException {
      byte[] buf = new byte[1 << 16];
      while (read(buf, 0, buf.length) > 0) {
        // hash what a writer appended (record padding) so the file digest covers every byte
      }
    }

    @Override
    public long skip(long n) throws IOException {
      throw new UnsupportedOperationException("skipping would bypass the limits");
    }
  }
}
