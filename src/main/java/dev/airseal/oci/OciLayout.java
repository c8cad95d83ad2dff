package dev.airseal.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * An OCI image layout on disk ({@code oci-layout}, {@code index.json}, {@code blobs/sha256/...}),
 * written so that skopeo, oras and crane read it: blobs are content-addressed and written once,
 * {@code index.json} is replaced atomically.
 */
// SPEC: https://github.com/opencontainers/image-spec/blob/main/image-layout.md
public final class OciLayout {
  public static final String REF_NAME = "org.opencontainers.image.ref.name";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;

  private OciLayout(Path dir) {
    this.dir = dir;
  }

  /** Opens the layout at {@code dir}, creating an empty one if there is none. */
  public static OciLayout open(Path dir) throws IOException {
    Files.createDirectories(dir.resolve("blobs").resolve("sha256"));
    Path marker = dir.resolve("oci-layout");
    if (!Files.exists(marker)) {
      Files.writeString(marker, "{\"imageLayoutVersion\":\"1.0.0\"}");
    }
    if (!Files.exists(dir.resolve("index.json"))) {
      ObjectNode index = JSON.createObjectNode();
      index.put("schemaVersion", 2);
      index.put("mediaType", Manifest.OCI_INDEX);
      index.putArray("manifests");
      replace(dir.resolve("index.json"), JSON.writeValueAsBytes(index));
    }
    return new OciLayout(dir);
  }

  public Digest writeBlob(byte[] content) throws IOException {
    Digest d = Digest.of(content);
    Path p = dir.resolve("blobs").resolve("sha256").resolve(d.hex());
    if (!Files.exists(p)) {
      replace(p, content);
    }
    return d;
  }

  /**
   * Stores a manifest blob and lists it in {@code index.json}; a manifest already listed under the
   * same ref name is replaced in the index (its blob stays: blobs are immutable).
   */
  public Digest addManifest(byte[] manifest, String mediaType, String refName, Map<String, String> annotations)
      throws IOException {
    Digest d = writeBlob(manifest);
    Path indexFile = dir.resolve("index.json");
    ObjectNode index = (ObjectNode) JSON.readTree(Files.readAllBytes(indexFile));
    ArrayNode manifests = (ArrayNode) index.withArray("manifests");
    for (int i = manifests.size() - 1; i >= 0; i--) {
      JsonNode m = manifests.get(i);
      if (refName != null && refName.equals(m.path("annotations").path(REF_NAME).asText(null))) {
        manifests.remove(i);
      }
    }
    ObjectNode desc = manifests.addObject();
    desc.put("mediaType", mediaType);
    desc.put("digest", d.toString());
    desc.put("size", manifest.length);
    ObjectNode ann = desc.putObject("annotations");
    annotations.forEach(ann::put);
    if (refName != null) {
      ann.put(REF_NAME, refName);
    }
    replace(indexFile, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(index));
    return d;
  }

  public Path dir() {
    return dir;
  }

  // Write-then-rename: a reader never sees half a file, a crash leaves the old one.
  private static void replace(Path target, byte[] content) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.write(tmp, content);
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
