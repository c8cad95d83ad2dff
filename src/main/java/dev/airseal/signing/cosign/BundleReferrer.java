package dev.airseal.signing.cosign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.oci.Digest;
import dev.airseal.oci.ImageReference;
import dev.airseal.oci.Manifest;
import dev.airseal.oci.RegistryClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;

/**
 * cosign v3's storage of a Sigstore bundle: an OCI 1.1 referrer manifest whose {@code subject} is
 * the image, {@code artifactType} the bundle media type, one layer the bundle JSON and an empty
 * config. Registries without the referrers API get the referrers tag schema: an index tagged
 * {@code sha256-<hex>} listing the referrers.
 */
public final class BundleReferrer {
  public static final String EMPTY_CONFIG = "application/vnd.oci.empty.v1+json";
  private static final byte[] EMPTY = "{}".getBytes(StandardCharsets.US_ASCII);
  private static final ObjectMapper JSON = new ObjectMapper();

  private BundleReferrer() {}

  /** Pushes {@code bundle} as a referrer of {@code image}; returns the referrer manifest's digest. */
  public static Digest push(
      RegistryClient registry, ImageReference image, Manifest subject, byte[] bundle,
      Map<String, String> annotations)
      throws IOException {
    registry.putBlob(image, EMPTY);
    Digest layer = registry.putBlob(image, bundle);
    ObjectNode m = JSON.createObjectNode();
    m.put("schemaVersion", 2);
    m.put("mediaType", Manifest.OCI_MANIFEST);
    m.put("artifactType", SigstoreBundle.MEDIA_TYPE_V03);
    m.set("config", descriptor(EMPTY_CONFIG, Digest.of(EMPTY), EMPTY.length));
    ArrayNode layers = m.putArray("layers");
    layers.add(descriptor(SigstoreBundle.MEDIA_TYPE_V03, layer, bundle.length));
    m.set("subject", descriptor(subject.mediaType(), subject.digest(), subject.bytes().length));
    ObjectNode ann = m.putObject("annotations");
    ann.put("org.opencontainers.image.created", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    annotations.forEach(ann::put);
    byte[] manifest = JSON.writeValueAsBytes(m);
    Digest digest = Digest.of(manifest);
    registry.putManifest(image, digest.toString(), manifest, Manifest.OCI_MANIFEST);
    if (!registry.supportsReferrers(image, subject.digest())) {
      addToTagSchemaIndex(registry, image, subject.digest(), digest, manifest.length, ann);
    }
    return digest;
  }

  // SPEC: OCI distribution 1.1, "Referrers Tag Schema": clients pushing to a registry without the
  // referrers API keep an image index at tag <alg>-<ref> and add each referrer's descriptor to it.
  private static void addToTagSchemaIndex(
      RegistryClient registry, ImageReference image, Digest subject, Digest referrer, long size,
      JsonNode annotations)
      throws IOException {
    String tag = subject.cosignTagPrefix();
    Optional<Manifest> existing = registry.manifest(image, tag);
    ObjectNode index;
    if (existing.isPresent() && Manifest.OCI_INDEX.equals(existing.get().mediaType())) {
      index = (ObjectNode) JSON.readTree(existing.get().bytes());
    } else {
      index = JSON.createObjectNode();
      index.put("schemaVersion", 2);
      index.put("mediaType", Manifest.OCI_INDEX);
      index.putArray("manifests");
    }
    ArrayNode manifests = (ArrayNode) index.get("manifests");
    for (JsonNode d : manifests) {
      if (referrer.toString().equals(d.path("digest").asText())) {
        return;
      }
    }
    ObjectNode d = descriptor(Manifest.OCI_MANIFEST, referrer, size);
    d.put("artifactType", SigstoreBundle.MEDIA_TYPE_V03);
    d.set("annotations", annotations);
    manifests.add(d);
    registry.putManifest(image, tag, JSON.writeValueAsBytes(index), Manifest.OCI_INDEX);
  }

  private static ObjectNode descriptor(String mediaType, Digest digest, long size) {
    ObjectNode d = JSON.createObjectNode();
    d.put("mediaType", mediaType);
    d.put("digest", digest.toString());
    d.put("size", size);
    return d;
  }
}
