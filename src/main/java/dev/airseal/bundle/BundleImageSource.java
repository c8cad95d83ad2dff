package dev.airseal.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.oci.Digest;
import dev.airseal.oci.Manifest;
import dev.airseal.verify.oci.ImageSource;
import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One image's evidence inside an opened bundle, served to the verifier as a registry would: its
 * {@code .sig}/{@code .att} tags, its referrers index, and only the blobs its own manifests name.
 */
final class BundleImageSource implements ImageSource {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final OpenedBundle bundle;
  private final TransferStatement.Image image;
  private final Map<Digest, TransferStatement.BlobRef> listed;
  private final Set<Digest> mine = new HashSet<>();

  BundleImageSource(OpenedBundle bundle, TransferStatement.Image image, Map<Digest, TransferStatement.BlobRef> listed) {
    this.bundle = bundle;
    this.image = image;
    this.listed = listed;
    image.signatures().ifPresent(this::own);
    image.attestations().ifPresent(this::own);
    image.referrers().forEach(this::own);
  }

  private void own(Digest manifest) {
    mine.add(manifest);
    bundle.blob(manifest).ifPresent(bytes -> {
      try {
        JsonNode m = JSON.readTree(bytes);
        mine.add(Digest.parse(m.path("config").path("digest").asText()));
        m.path("layers").forEach(l -> mine.add(Digest.parse(l.path("digest").asText())));
      } catch (IOException | IllegalArgumentException e) {
        // the verifier reports the unreadable manifest itself
      }
    });
  }

  /** Digests of every evidence blob of this image (manifests, configs, layers). */
  Set<Digest> blobs() {
    return Set.copyOf(mine);
  }

  @Override
  public Optional<Manifest> manifest(String reference) {
    Optional<Digest> d;
    if (reference.equals(image.digest().cosignTagPrefix() + ".sig")) {
      d = image.signatures();
    } else if (reference.equals(image.digest().cosignTagPrefix() + ".att")) {
      d = image.attestations();
    } else if (reference.startsWith("sha256:")) {
      d = Optional.of(Digest.parse(reference)).filter(mine::contains);
    } else {
      d = Optional.empty();
    }
    return d.flatMap(x -> bundle.blob(x).map(b -> new Manifest(b, mediaType(x), x)));
  }

  @Override
  public byte[] blob(Digest digest, long maxBytes) throws IOException {
    if (!mine.contains(digest)) {
      throw new IOException("blob " + digest + " is not part of this image's evidence");
    }
    byte[] b = bundle.blob(digest).orElseThrow(() -> new IOException("blob " + digest + " is not in the bundle"));
    if (b.length > maxBytes) {
      throw new IOException("blob " + digest + " exceeds " + maxBytes + " bytes");
    }
    return b;
  }

  @Override
  public Optional<Manifest> referrers(Digest subject) {
    if (!subject.equals(image.digest()) || image.referrers().isEmpty()) {
      return Optional.empty();
    }
    ObjectNode index = JSON.createObjectNode();
    index.put("schemaVersion", 2);
    index.put("mediaType", Manifest.OCI_INDEX);
    ArrayNode ms = index.putArray("manifests");
    for (Digest r : image.referrers()) {
      ReferrerInfo info = ReferrerInfo.of(bundle.blob(r).orElse(new byte[0]));
      ObjectNode d = ms.addObject();
      d.put("mediaType", mediaType(r));
      d.put("digest", r.toString());
      d.put("size", listed.get(r).size());
      d.put("artifactType", info.artifactType());
      if (!info.annotations().isEmpty()) {
        ObjectNode a = d.putObject("annotations");
        info.annotations().forEach(a::put);
      }
    }
    byte[] bytes = ms.isEmpty() ? new byte[0] : index.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return Optional.of(new Manifest(bytes, Manifest.OCI_INDEX, Digest.of(bytes)));
  }

  private String mediaType(Digest d) {
    TransferStatement.BlobRef r = listed.get(d);
    return r == null ? Manifest.OCI_MANIFEST : r.mediaType();
  }

  /** A referrer manifest's artifactType (or config media type) and annotations, as the API lists them. */
  record ReferrerInfo(String artifactType, Map<String, String> annotations) {
    static ReferrerInfo of(byte[] manifest) {
      try {
        JsonNode m = JSON.readTree(manifest);
        String type = m.path("artifactType").asText(m.path("config").path("mediaType").asText(""));
        Map<String, String> ann = new java.util.TreeMap<>();
        m.path("annotations").fields().forEachRemaining(e -> ann.put(e.getKey(), e.getValue().asText()));
        return new ReferrerInfo(type, ann);
      } catch (IOException | RuntimeException e) {
        return new ReferrerInfo("", Map.of());
      }
    }
  }
}
