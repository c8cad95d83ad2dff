package dev.airseal.verify.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airseal.oci.Digest;
import dev.airseal.oci.ImageReference;
import dev.airseal.oci.Manifest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Signatures read from an OCI image layout on disk instead of a registry: what {@code cosign save}
 * writes (index entries annotated {@code kind}: {@code dev.cosignproject.cosign/image}, {@code
 * /sigs}, {@code /atts}) and what {@code airseal sign --output-dir} writes (entries named by
 * {@code org.opencontainers.image.ref.name}, e.g. {@code sha256-<hex>.sig}). Every blob is read by
 * digest and checked against it; digests are 64 hex digits, so no path can leave the layout.
 */
public final class LayoutImageSource implements ImageSource {
  static final String KIND = "kind";
  static final String KIND_IMAGE = "dev.cosignproject.cosign/image";
  static final String KIND_SIGS = "dev.cosignproject.cosign/sigs";
  static final String KIND_ATTS = "dev.cosignproject.cosign/atts";
  private static final String REF_NAME = "org.opencontainers.image.ref.name";
  private static final long MAX_MANIFEST = 4L << 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final JsonNode index;

  private LayoutImageSource(Path dir, JsonNode index) {
    this.dir = dir;
    this.index = index;
  }

  public static LayoutImageSource open(Path dir) throws IOException {
    Path indexFile = dir.resolve("index.json");
    if (!Files.isRegularFile(dir.resolve("oci-layout")) || !Files.isRegularFile(indexFile)) {
      throw new IOException(dir + " is not an OCI image layout (oci-layout and index.json needed)");
    }
    if (Files.size(indexFile) > MAX_MANIFEST) {
      throw new IOException(indexFile + " is too large");
    }
    return new LayoutImageSource(dir, JSON.readTree(indexFile.toFile()));
  }

  /**
   * The image digest the layout is about: the {@code kind: .../image} entry (cosign save), else the
   * digest in an {@code dev.airseal.image} annotation (airseal --output-dir).
   */
  public Optional<ImageReference> image() {
    for (JsonNode m : index.path("manifests")) {
      if (KIND_IMAGE.equals(m.path("annotations").path(KIND).asText())) {
        return Optional.of(new ImageReference("local", "layout", null, Digest.parse(m.path("digest").asText())));
      }
      String ref = m.path("annotations").path("dev.airseal.image").asText("");
      if (!ref.isEmpty()) {
        return Optional.of(ImageReference.parse(ref));
      }
    }
    return Optional.empty();
  }

  @Override
  public Optional<Manifest> manifest(String reference) throws IOException {
    Optional<String> digest = reference.startsWith("sha256:") ? Optional.of(reference) : byName(reference);
    if (digest.isEmpty()) {
      return Optional.empty();
    }
    Digest d = Digest.parse(digest.get());
    Path p = blobPath(d);
    if (!Files.exists(p)) {
      return Optional.empty();
    }
    byte[] bytes = blob(d, MAX_MANIFEST);
    String type = JSON.readTree(bytes).path("mediaType").asText(Manifest.OCI_MANIFEST);
    return Optional.of(new Manifest(bytes, type, d));
  }

  // sha256-<hex>.sig / .att: a cosign-save kind entry or a ref name.
  private Optional<String> byName(String tag) {
    String kind = tag.endsWith(".sig") ? KIND_SIGS : tag.endsWith(".att") ? KIND_ATTS : null;
    for (JsonNode m : index.path("manifests")) {
      JsonNode a = m.path("annotations");
      if (tag.equals(a.path(REF_NAME).asText(null)) || (kind != null && kind.equals(a.path(KIND).asText(null)))) {
        return Optional.of(m.path("digest").asText());
      }
    }
    return Optional.empty();
  }

  @Override
  public byte[] blob(Digest digest, long maxBytes) throws IOException {
    Path p = blobPath(digest);
    if (Files.size(p) > maxBytes) {
      throw new IOException("blob " + digest + " exceeds " + maxBytes + " bytes");
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(p)) {
      bytes = in.readNBytes((int) Math.min(maxBytes, Integer.MAX_VALUE - 8));
    }
    if (!Digest.of(bytes).equals(digest)) {
      throw new IOException("layout blob " + digest + " does not hash to its name");
    }
    return bytes;
  }

  @Override
  public Optional<Manifest> referrers(Digest subject) throws IOException {
    return manifest(subject.cosignTagPrefix());
  }

  private Path blobPath(Digest d) {
    return dir.resolve("blobs").resolve(d.algorithm()).resolve(d.hex());
  }
}
