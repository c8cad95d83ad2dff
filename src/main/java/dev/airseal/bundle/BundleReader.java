package dev.airseal.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airseal.oci.Digest;
import dev.airseal.oci.Manifest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a transfer bundle in one pass: the layout header and the signed envelope first (so that an
 * unsigned or foreign bundle is refused before its blobs are read), then every blob, each checked
 * against the size and digest the statement gives. Non-image blobs are kept in memory (bounded);
 * image blobs are hashed while streaming and, when asked, spooled to a directory for pushing.
 */
public final class BundleReader {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SafeTarReader tar;
  private final BundleLimits limits;
  private final TransferStatement statement;
  private final byte[] statementBytes;
  private final byte[] envelope;
  private final TransferKey signer;

  private BundleReader(SafeTarReader tar, BundleLimits limits, byte[] envelope, TransferEnvelope.Verified v,
      TransferStatement statement) {
    this.tar = tar;
    this.limits = limits;
    this.envelope = envelope;
    this.statementBytes = v.statement();
    this.signer = v.key();
    this.statement = statement;
  }

  /** Reads the header entries and verifies the transfer signature against {@code trusted}. */
  public static BundleReader open(InputStream in, BundleLimits limits, List<TransferKey> trusted)
      throws IOException, BundleFormatException, TransferRejectedException {
    SafeTarReader tar = new SafeTarReader(in, new SafeTarReader.Limits(limits.maxBytes(), limits.maxRatio(),
        limits.maxEntries()));
    try {
      byte[] layout = expect(tar, "oci-layout", 4096);
      JsonNode l = JSON.readTree(layout);
      if (l == null || !"1.0.0".equals(l.path("imageLayoutVersion").asText())) {
        throw new BundleFormatException("oci-layout must declare imageLayoutVersion 1.0.0");
      }
      JsonNode index = json(expect(tar, "index.json", 1 << 20), "index.json");
      JsonNode ms = index.path("manifests");
      if (!ms.isArray() || ms.size() != 1) {
        throw new BundleFormatException("index.json must list exactly one manifest, the transfer manifest");
      }
      JsonNode d = ms.get(0);
      if (!TransferFormat.ARTIFACT_TYPE.equals(d.path("artifactType").asText())
          || !Manifest.OCI_MANIFEST.equals(d.path("mediaType").asText())) {
        throw new BundleFormatException("index.json's manifest is not a transfer manifest (artifactType "
            + TransferFormat.ARTIFACT_TYPE + ")");
      }
      Digest manifestDigest = digest(d.path("digest").asText(), "index.json manifest digest");
      byte[] manifest = expectBlob(tar, manifestDigest, 1 << 20);
      JsonNode m = json(manifest, "transfer manifest");
      JsonNode layer = m.path("layers").path(0);
      if (m.path("layers").size() != 1 || !TransferFormat.ENVELOPE_MEDIA_TYPE.equals(layer.path("mediaType").asText())
          || !TransferFormat.CONFIG_DIGEST.toString().equals(m.path("config").path("digest").asText())) {
        throw new BundleFormatException("transfer manifest must have the fixed transfer config and one "
            + TransferFormat.ENVELOPE_MEDIA_TYPE + " layer");
      }
      byte[] envelope = expectBlob(tar, digest(layer.path("digest").asText(), "envelope digest"),
          BundleLimits.MAX_HEADER_BLOB);
      if (envelope.length != layer.path("size").asLong(-1)) {
        throw new BundleFormatException("envelope is " + envelope.length + " bytes, the manifest says "
            + layer.path("size").asText());
      }
      TransferEnvelope.Verified v = TransferEnvelope.verify(envelope, trusted);
      TransferStatement s = TransferStatement.parse(v.statement());
      if (!s.producer().equals(v.key().producer())) {
        throw new TransferRejectedException("the bundle names producer " + s.producer()
            + " but is signed by a transfer key of producer " + v.key().producer());
      }
      expectBlob(tar, TransferFormat.CONFIG_DIGEST, 1024);
      return new BundleReader(tar, limits, envelope, v, s);
    } catch (SafeTarReader.Malformed e) {
      throw new BundleFormatException(e.getMessage());
    }
  }

  public TransferStatement statement() {
    return statement;
  }

  /** The statement bytes exactly as signed. */
  public byte[] statementBytes() {
    return statementBytes.clone();
  }

  public Digest bundleDigest() {
    return TransferStatement.bundleDigest(statementBytes);
  }

  public byte[] envelope() {
    return envelope.clone();
  }

  public TransferKey signer() {
    return signer;
  }

  /**
   * Reads every remaining entry. Image blobs go to {@code spool} (as {@code <hex>}) when given.
   *
   * @throws BundleFormatException for anything the statement does not account for
   */
  public OpenedBundle readBlobs(Optional<Path> spool) throws IOException, BundleFormatException {
    Map<Digest, TransferStatement.BlobRef> listed = new HashMap<>();
    for (TransferStatement.BlobRef b : statement.blobs()) {
      if (listed.put(b.digest(), b) != null) {
        throw new BundleFormatException("the statement lists blob " + b.digest() + " twice");
      }
      MediaTypes.check(b);
    }
    Set<Digest> keepImage = new HashSet<>();
    statement.images().forEach(i -> keepImage.addAll(i.manifests()));
    Map<Digest, byte[]> kept = new HashMap<>();
    Set<Digest> streamed = new HashSet<>();
    long keptBytes = 0;
    long imageBytes = 0;
    long imageNanos = 0;
    try {
      Optional<SafeTarReader.Entry> e;
      while ((e = tar.next()).isPresent()) {
        SafeTarReader.Entry entry = e.get();
        if (!entry.name().startsWith("blobs/sha256/")) {
          throw new BundleFormatException("entry \"" + entry.name() + "\" may only appear at the start");
        }
        Digest d = new Digest("sha256", entry.name().substring("blobs/sha256/".length()));
        TransferStatement.BlobRef ref = listed.get(d);
        if (ref == null) {
          throw new BundleFormatException("blob " + d + " is in the archive but not named by the transfer statement");
        }
        if (entry.size() != ref.size()) {
          throw new BundleFormatException("blob " + d + " is " + entry.size() + " bytes, the statement says "
              + ref.size());
        }
        boolean image = ref.role() == TransferFormat.Role.IMAGE && !keepImage.contains(d);
        if (image) {
          long t0 = System.nanoTime();
          stream(entry, d, spool);
          imageNanos += System.nanoTime() - t0;
          imageBytes += entry.size();
          streamed.add(d);
        } else {
          long max = ref.role() == TransferFormat.Role.IMAGE ? 4L << 20 : limits.maxEvidenceBlob();
          if (entry.size() > max) {
            throw new BundleFormatException("blob " + d + " (" + ref.role().wire() + ") is " + entry.size()
                + " bytes, above the limit of " + max);
          }
          keptBytes += entry.size();
          if (keptBytes > limits.maxEvidenceBytes()) {
            throw new BundleFormatException("evidence exceeds the limit of " + limits.maxEvidenceBytes() + " bytes");
          }
          byte[] content = entry.content().readAllBytes();
          if (!Digest.of(content).equals(d)) {
            throw new BundleFormatException("blob " + d + " does not hash to its name (content altered)");
          }
          kept.put(d, content);
        }
      }
    } catch (SafeTarReader.Malformed m) {
      throw new BundleFormatException(m.getMessage());
    }
    for (Digest d : listed.keySet()) {
      if (!kept.containsKey(d) && !streamed.contains(d)) {
        throw new BundleFormatException("the statement names blob " + d + " (" + listed.get(d).role().wire()
            + ") but the archive does not hold it");
      }
    }
    OpenedBundle b = new OpenedBundle(statement, statementBytes, envelope, signer, kept, tar.fileDigest(),
        tar.fileSize(), imageBytes, imageNanos, spool);
    Structure.check(b, listed);
    return b;
  }

  private static void stream(SafeTarReader.Entry entry, Digest d, Optional<Path> spool)
      throws IOException, BundleFormatException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException x) {
      throw new IllegalStateException(x);
    }
    Path tmp = spool.map(p -> p.resolve(d.hex() + ".part")).orElse(null);
    byte[] buf = new byte[1 << 17];
    try (InputStream in = entry.content();
        OutputStream out = tmp == null ? OutputStream.nullOutputStream()
            : Files.newOutputStream(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
        out.write(buf, 0, n);
      }
    }
    String got = HexFormat.of().formatHex(md.digest());
    if (!got.equals(d.hex())) {
      if (tmp != null) {
        Files.deleteIfExists(tmp);
      }
      throw new BundleFormatException("image blob " + d + " does not hash to its name (got sha256:" + got + ")");
    }
    if (tmp != null) {
      Files.move(tmp, tmp.resolveSibling(d.hex()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static byte[] expect(SafeTarReader tar, String name, long max) throws IOException, BundleFormatException {
    Optional<SafeTarReader.Entry> e = tar.next();
    if (e.isEmpty()) {
      throw new BundleFormatException("archive ends before " + name);
    }
    if (!e.get().name().equals(name)) {
      throw new BundleFormatException("expected \"" + name + "\" as the next entry, found \"" + e.get().name()
          + "\" (a transfer bundle starts with oci-layout, index.json, the transfer manifest, its envelope and {})");
    }
    if (e.get().size() > max) {
      throw new BundleFormatException(name + " is " + e.get().size() + " bytes, above the limit of " + max);
    }
    return e.get().content().readAllBytes();
  }

  private static byte[] expectBlob(SafeTarReader tar, Digest d, long max) throws IOException, BundleFormatException {
    byte[] b = expect(tar, "blobs/sha256/" + d.hex(), max);
    if (!Digest.of(b).equals(d)) {
      throw new BundleFormatException("blob " + d + " does not hash to its name (content altered)");
    }
    return b;
  }

  private static JsonNode json(byte[] b, String what) throws BundleFormatException {
    try {
      JsonNode n = JSON.readTree(b);
      if (n == null || !n.isObject()) {
        throw new BundleFormatException(what + " is not a JSON object");
      }
      return n;
    } catch (IOException e) {
      throw new BundleFormatException(what + " is not JSON: " + e.getMessage());
    }
  }

  static Digest digest(String s, String what) throws BundleFormatException {
    try {
      return Digest.parse(s);
    } catch (IllegalArgumentException e) {
      throw new BundleFormatException(what + ": " + e.getMessage());
    }
  }
}
