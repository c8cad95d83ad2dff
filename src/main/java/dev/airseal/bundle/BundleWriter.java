package dev.airseal.bundle;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.oci.Digest;
import dev.airseal.oci.Manifest;
import dev.airseal.signing.Signer;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a transfer bundle: the layout header, the transfer manifest and its signed envelope first
 * (a reader verifies the signature before it reads any blob), then every blob in statement order.
 */
public final class BundleWriter {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What was written. */
  public record Written(Digest bundleDigest, TransferStatement statement, long blobBytes) {}

  private BundleWriter() {}

  public static Written write(BundleContent content, TransferStatement statement, Signer signer, OutputStream sink,
      boolean gzip) throws IOException {
    byte[] statementBytes = statement.toJson();
    byte[] envelope = TransferEnvelope.sign(signer, statementBytes);
    byte[] manifest = transferManifest(envelope);
    OutputStream buffered = new BufferedOutputStream(sink, 1 << 16);
    OutputStream out = gzip ? new GZIPOutputStream(buffered, 1 << 16) : buffered;
    TarWriter tar = new TarWriter(out);
    tar.file("oci-layout", TransferFormat.OCI_LAYOUT.getBytes(StandardCharsets.US_ASCII));
    tar.file("index.json", index(manifest));
    tar.file(path(Digest.of(manifest)), manifest);
    tar.file(path(Digest.of(envelope)), envelope);
    tar.file(path(TransferFormat.CONFIG_DIGEST), TransferFormat.CONFIG);
    long bytes = 0;
    for (BundleContent.Blob b : content.blobs()) {
      TransferStatement.BlobRef r = b.ref();
      if (b.content() != null) {
        tar.file(path(r.digest()), b.content());
      } else {
        try (InputStream in = b.source().open()) {
          MessageDigest md = sha256();
          tar.file(path(r.digest()), r.size(), new DigestInputStream(in, md));
          String got = HexFormat.of().formatHex(md.digest());
          if (!got.equals(r.digest().hex())) {
            throw new IOException("image blob " + r.digest() + " read back as sha256:" + got);
          }
        }
      }
      bytes += r.size();
    }
    tar.finish();
    if (out instanceof GZIPOutputStream g) {
      g.finish();
    }
    out.flush();
    return new Written(TransferStatement.bundleDigest(statementBytes), statement, bytes);
  }

  static byte[] transferManifest(byte[] envelope) throws IOException {
    ObjectNode m = JSON.createObjectNode();
    m.put("schemaVersion", 2);
    m.put("mediaType", Manifest.OCI_MANIFEST);
    m.put("artifactType", TransferFormat.ARTIFACT_TYPE);
    m.putObject("config").put("mediaType", TransferFormat.CONFIG_MEDIA_TYPE)
        .put("digest", TransferFormat.CONFIG_DIGEST.toString()).put("size", TransferFormat.CONFIG.length);
    m.putArray("layers").addObject().put("mediaType", TransferFormat.ENVELOPE_MEDIA_TYPE)
        .put("digest", Digest.of(envelope).toString()).put("size", envelope.length);
    return JSON.writeValueAsBytes(m);
  }

  static byte[] index(byte[] manifest) throws IOException {
    ObjectNode i = JSON.createObjectNode();
    i.put("schemaVersion", 2);
    i.put("mediaType", Manifest.OCI_INDEX);
    ObjectNode d = i.putArray("manifests").addObject();
    d.put("mediaType", Manifest.OCI_MANIFEST);
    d.put("artifactType", TransferFormat.ARTIFACT_TYPE);
    d.put("digest", Digest.of(manifest).toString());
    d.put("size", manifest.length);
    d.putObject("annotations").put("org.opencontainers.image.ref.name", TransferFormat.REF_NAME);
    return JSON.writeValueAsBytes(i);
  }

  static String path(Digest d) {
    return "blobs/sha256/" + d.hex();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
