package dev.airseal.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.oci.Digest;
import dev.airseal.oci.Manifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes what {@code cosign load --dir} reads, one layout per image of an opened bundle: the
 * {@code .sig}/{@code .att} manifests and layers exactly as the bundle carries them (so the
 * signatures verify without re-signing) and the image when it is carried, under {@code index.json}
 * entries annotated as {@code cosign save} annotates them (see {@link CosignLayout}).
 *
 * <p>A layout has no place for Sigstore-bundle referrers; they are left out and counted. An image
 * with neither signatures nor attestations gets no layout: {@code cosign load} would have nothing
 * to load.
 */
public final class CosignLayoutWriter {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One layout written.
   *
   * @param referrersLeftOut Sigstore-bundle referrers the layout cannot hold
   */
  public record Written(TransferStatement.Image image, Path dir, boolean imageIncluded, int referrersLeftOut) {
    /** The repository without its registry host: the path to load it under in the site registry. */
    public String path() {
      return image.repository().substring(image.repository().indexOf('/') + 1);
    }
  }

  private CosignLayoutWriter() {}

  /** Whether {@code i} carries anything a cosign layout can hold. */
  public static boolean writable(TransferStatement.Image i) {
    return i.signatures().isPresent() || i.attestations().isPresent();
  }

  /**
   * Writes a layout per writable image under {@code out} (an existing, empty directory), named
   * {@code <registry_path>/sha256-<hex>}. Image blobs come from the bundle's spool.
   */
  public static List<Written> write(OpenedBundle b, List<TransferStatement.Image> images, Path out)
      throws IOException {
    Map<Digest, TransferStatement.BlobRef> listed = new HashMap<>();
    b.statement().blobs().forEach(r -> listed.put(r.digest(), r));
    List<Written> written = new ArrayList<>();
    for (TransferStatement.Image i : images) {
      if (!writable(i)) {
        continue;
      }
      // The repository is registry/path with [a-z0-9._-] segments; flattened to one name it
      // cannot be "." or "..", so the layout stays under out.
      Path dir = out.resolve(i.repository().replaceAll("[^A-Za-z0-9._-]", "_")).resolve(i.digest().cosignTagPrefix());
      if (Files.exists(dir)) {
        throw new IOException("the bundle lists " + i.repository() + "@" + i.digest() + " twice");
      }
      Files.createDirectories(dir.resolve("blobs").resolve("sha256"));
      ObjectNode index = JSON.createObjectNode();
      index.put("schemaVersion", 2);
      index.put("mediaType", Manifest.OCI_INDEX);
      ArrayNode entries = index.putArray("manifests");
      boolean withImage = !i.manifests().isEmpty();
      if (withImage) {
        String type = listed.get(i.digest()).mediaType();
        entry(entries, i.digest(), listed, CosignLayout.isIndex(type) ? CosignLayout.IMAGE_INDEX : CosignLayout.IMAGE);
        for (Digest m : i.manifests()) {
          manifest(b, dir, m);
        }
      }
      if (i.signatures().isPresent()) {
        entry(entries, i.signatures().get(), listed, CosignLayout.SIGS);
        manifest(b, dir, i.signatures().get());
      }
      if (i.attestations().isPresent()) {
        entry(entries, i.attestations().get(), listed, CosignLayout.ATTS);
        manifest(b, dir, i.attestations().get());
      }
      Files.writeString(dir.resolve("oci-layout"), TransferFormat.OCI_LAYOUT, StandardCharsets.US_ASCII);
      Files.write(dir.resolve("index.json"), JSON.writeValueAsBytes(index));
      written.add(new Written(i, dir, withImage, i.referrers().size()));
    }
    return written;
  }

  private static void entry(ArrayNode entries, Digest d, Map<Digest, TransferStatement.BlobRef> listed, String kind) {
    TransferStatement.BlobRef r = listed.get(d);
    ObjectNode e = entries.addObject();
    e.put("mediaType", r.mediaType());
    e.put("size", r.size());
    e.put("digest", d.toString());
    e.putObject("annotations").put(CosignLayout.KIND, kind);
  }

  // A manifest and, unless it is an index (whose children are written as manifests of their own),
  // its config and layers.
  private static void manifest(OpenedBundle b, Path dir, Digest m) throws IOException {
    byte[] bytes = b.blob(m).orElseThrow(() -> new IOException("manifest " + m + " is not in the bundle"));
    put(dir, m, bytes);
    JsonNode n = JSON.readTree(bytes);
    if (n.has("manifests")) {
      return;
    }
    for (JsonNode d : CosignLayout.descriptors(n)) {
      Digest blob = Digest.parse(d.path("digest").asText());
      Path target = blobPath(dir, blob);
      if (Files.exists(target)) {
        continue;
      }
      Optional<byte[]> kept = b.blob(blob);
      if (kept.isPresent()) {
        put(dir, blob, kept.get());
      } else {
        link(b, blob, target);
      }
    }
  }

  private static void put(Path dir, Digest d, byte[] bytes) throws IOException {
    Path p = blobPath(dir, d);
    if (!Files.exists(p)) {
      Files.write(p, bytes, StandardOpenOption.CREATE_NEW);
    }
  }

  // Image layers were spooled (digest-checked) while the bundle was read; a hard link saves
  // copying gigabytes when the spool is on the same file system.
  private static void link(OpenedBundle b, Digest d, Path target) throws IOException {
    Path spooled = b.spool().map(s -> s.resolve(d.hex()))
        .orElseThrow(() -> new IOException("image blob " + d + " was not spooled"));
    if (!Files.isRegularFile(spooled)) {
      throw new IOException("image blob " + d + " was not spooled");
    }
    try {
      Files.createLink(target, spooled);
    } catch (UnsupportedOperationException | IOException e) {
      Files.copy(spooled, target);
    }
  }

  private static Path blobPath(Path dir, Digest d) {
    return dir.resolve("blobs").resolve("sha256").resolve(d.hex());
  }
}
