package dev.airseal.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airseal.oci.Digest;
import dev.airseal.oci.Manifest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A directory as {@code cosign save --dir} writes it and {@code cosign load --dir} reads it: an OCI
 * image layout whose {@code index.json} lists one manifest per kind, annotated {@code kind}: {@code
 * dev.cosignproject.cosign/image} (or {@code /imageIndex}), {@code /sigs}, {@code /atts}. The sigs
 * and atts manifests are the registry's {@code sha256-<hex>.sig|.att} manifests byte for byte.
 *
 * <p>A layout comes from outside (another team, a USB stick), so it is read as hostile: every blob
 * is named by a digest (64 hex digits: no name can leave {@code blobs/sha256}), must be a regular
 * file inside the layout (no links, devices or FIFOs), of the size its descriptor gives, and must
 * hash to its name.
 */
final class CosignLayout {
  static final String KIND = "kind";
  static final String IMAGE = "dev.cosignproject.cosign/image";
  static final String IMAGE_INDEX = "dev.cosignproject.cosign/imageIndex";
  static final String SIGS = "dev.cosignproject.cosign/sigs";
  static final String ATTS = "dev.cosignproject.cosign/atts";
  static final Set<String> KINDS = Set.of(IMAGE, IMAGE_INDEX, SIGS, ATTS);
  static final long MAX_MANIFEST = 4L << 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One {@code index.json} entry. */
  record Entry(String kind, Digest digest, String mediaType, long size) {}

  private final Path dir;
  private final Path realDir;
  private final Map<String, Entry> entries;

  private CosignLayout(Path dir, Path realDir, Map<String, Entry> entries) {
    this.dir = dir;
    this.realDir = realDir;
    this.entries = entries;
  }

  /** Reads and checks {@code oci-layout} and {@code index.json}; blobs are checked as they are read. */
  static CosignLayout open(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException(dir + " is not a directory");
    }
    Path real = dir.toRealPath();
    JsonNode layout = json(small(dir, real, dir.resolve("oci-layout"), "oci-layout", 1024), dir + "/oci-layout");
    if (!"1.0.0".equals(layout.path("imageLayoutVersion").asText())) {
      throw new IOException(dir + "/oci-layout: imageLayoutVersion is \"" + layout.path("imageLayoutVersion").asText()
          + "\", not 1.0.0");
    }
    JsonNode index = json(small(dir, real, dir.resolve("index.json"), "index.json", MAX_MANIFEST), dir + "/index.json");
    if (!index.path("manifests").isArray()) {
      throw new IOException(dir + "/index.json has no manifests array: not an OCI image layout");
    }
    Map<String, Entry> entries = new LinkedHashMap<>();
    for (JsonNode m : index.path("manifests")) {
      String kind = m.path("annotations").path(KIND).asText("");
      String where = dir + "/index.json entry " + m.path("digest").asText("(no digest)");
      if (!KINDS.contains(kind)) {
        throw new IOException(where + " has kind \"" + kind + "\", none of " + new java.util.TreeSet<>(KINDS)
            + " (not written by cosign save?)");
      }
      Digest d = digest(m.path("digest").asText(""), where);
      String type = m.path("mediaType").asText("");
      if (!MediaTypes.MANIFESTS.contains(type)) {
        throw new IOException(where + " has media type \"" + type + "\", not a manifest");
      }
      long size = m.path("size").asLong(-1);
      if (!m.path("size").isIntegralNumber() || size < 0 || size > MAX_MANIFEST) {
        throw new IOException(where + " has size " + m.path("size") + " (a manifest of at most " + MAX_MANIFEST
            + " bytes)");
      }
      if (entries.put(kind, new Entry(kind, d, type, size)) != null) {
        throw new IOException(dir + "/index.json lists two " + kind + " entries; cosign load would use only the first");
      }
    }
    if (entries.containsKey(IMAGE) && entries.containsKey(IMAGE_INDEX)) {
      throw new IOException(dir + "/index.json lists both an image and an image index");
    }
    return new CosignLayout(dir, real, entries);
  }

  Path dir() {
    return dir;
  }

  Optional<Entry> entry(String kind) {
    return Optional.ofNullable(entries.get(kind));
  }

  /** The image or image index entry, if the layout carries the image. */
  Optional<Entry> image() {
    return entry(IMAGE).or(() -> entry(IMAGE_INDEX));
  }

  /** A blob read whole and checked against its digest and descriptor size. */
  byte[] read(Digest d, long size, long max) throws IOException {
    if (size > max) {
      throw new IOException(dir + ": blob " + d + " is " + size + " bytes, above the limit of " + max);
    }
    byte[] b;
    try (InputStream in = Files.newInputStream(file(d, size), LinkOption.NOFOLLOW_LINKS)) {
      b = in.readNBytes((int) size + 1);
    }
    if (b.length != size || !Digest.of(b).equals(d)) {
      throw new IOException(dir + ": blob " + d + " does not hash to its name (content altered)");
    }
    return b;
  }

  /** The file holding blob {@code d}, after checking it is a regular file inside the layout of {@code size} bytes. */
  Path file(Digest d, long size) throws IOException {
    Path p = dir.resolve("blobs").resolve("sha256").resolve(d.hex());
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(dir + ": the layout names blob " + d + ", which " + dir + "/blobs/sha256 does not hold");
    }
    regular(dir, realDir, p, "blob " + d);
    long actual = Files.size(p);
    if (actual != size) {
      throw new IOException(dir + ": blob " + d + " is " + actual + " bytes, its descriptor says " + size);
    }
    return p;
  }

  /** The config, layer and child-manifest descriptors of a manifest. */
  static List<JsonNode> descriptors(JsonNode manifest) {
    List<JsonNode> out = new ArrayList<>();
    if (manifest.has("config")) {
      out.add(manifest.get("config"));
    }
    manifest.path("layers").forEach(out::add);
    manifest.path("manifests").forEach(out::add);
    return out;
  }

  static boolean isIndex(String mediaType) {
    return Manifest.OCI_INDEX.equals(mediaType) || Manifest.DOCKER_LIST.equals(mediaType);
  }

  static Digest digest(String s, String where) throws IOException {
    try {
      return Digest.parse(s);
    } catch (IllegalArgumentException e) {
      throw new IOException(where + ": \"" + s + "\" is not a sha256:<64 hex> digest");
    }
  }

  static JsonNode json(byte[] b, String what) throws IOException {
    JsonNode n;
    try {
      n = JSON.readTree(b);
    } catch (IOException e) {
      throw new IOException(what + " is not JSON: " + e.getMessage());
    }
    if (n == null || !n.isObject()) {
      throw new IOException(what + " is not a JSON object");
    }
    return n;
  }

  // A link could point anywhere (a secret, /dev/zero); a parent directory that is a link would
  // take the blob out of the layout too, so the real path must stay under the layout's.
  private static void regular(Path dir, Path realDir, Path p, String what) throws IOException {
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(dir + " has no " + what + ": not an OCI image layout (cosign save writes oci-layout, "
          + "index.json and blobs/sha256)");
    }
    if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(dir + ": " + what + " is not a regular file (a link, directory or device): refused");
    }
    if (!p.toRealPath().startsWith(realDir)) {
      throw new IOException(dir + ": " + what + " lies outside the layout (through a linked directory): refused");
    }
  }

  private static byte[] small(Path dir, Path realDir, Path p, String what, long max) throws IOException {
    regular(dir, realDir, p, what);
    if (Files.size(p) > max) {
      throw new IOException(dir + ": " + what + " is " + Files.size(p) + " bytes, above the limit of " + max);
    }
    return Files.readAllBytes(p);
  }
}
