package dev.airseal.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airseal.oci.Digest;
import dev.airseal.oci.ImageReference;
import dev.airseal.oci.Manifest;
import dev.airseal.oci.RegistryClient;
import dev.airseal.store.EvidenceBatch;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads what the site registry mirror holds for one image digest, as a batch for the evidence
 * store: the cosign {@code .sig}/{@code .att} manifests with their layers, and the referrers
 * (Sigstore bundles) with theirs. The registry is one host on the site network; images are looked
 * up under their own repository path on it, whatever registry the pod spec names.
 */
public final class MirrorReader {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_BLOB = 32L << 20;

  private final RegistryClient client;
  private final String host;

  /** @param host {@code host[:port]} of the mirror */
  public MirrorReader(RegistryClient client, String host) {
    this.client = client;
    this.host = host;
  }

  public String host() {
    return host;
  }

  /** {@code image} as the mirror holds it. */
  ImageReference onMirror(ImageReference image) {
    return new ImageReference(host, image.repository(), image.tag(), image.digest());
  }

  /** The digest the mirror's tag points at, or empty when it has no such tag. */
  public Optional<Digest> resolve(ImageReference image) throws IOException {
    return client.manifest(onMirror(image), image.tag()).map(Manifest::digest);
  }

  /**
   * Everything the mirror holds about {@code digest}, filed under {@code image}'s repository as the
   * pod spec names it (which is where admission looks); empty when the mirror holds nothing.
   */
  public Optional<EvidenceBatch> collect(ImageReference image, Digest digest) throws IOException {
    ImageReference m = onMirror(image).withDigest(digest);
    String repo = image.context();
    EvidenceBatch b = new EvidenceBatch();
    boolean any = false;
    for (String suffix : new String[] {".sig", ".att"}) {
      String tag = digest.cosignTagPrefix() + suffix;
      Optional<Manifest> man = client.manifest(m, tag);
      if (man.isPresent()) {
        Digest d = addManifest(b, m, man.get());
        b.tag(repo, tag, d);
        any = true;
      }
    }
    Optional<Manifest> index = client.referrers(m, digest);
    if (index.isPresent() && Manifest.OCI_INDEX.equals(index.get().mediaType())) {
      for (JsonNode desc : JSON.readTree(index.get().bytes()).path("manifests")) {
        String rd = desc.path("digest").asText("");
        if (!rd.startsWith("sha256:")) {
          continue;
        }
        Optional<Manifest> rm = client.manifest(m, rd);
        if (rm.isEmpty()) {
          continue;
        }
        Digest stored = addManifest(b, m, rm.get());
        Map<String, String> ann = new LinkedHashMap<>();
        desc.path("annotations").fields().forEachRemaining(e -> ann.put(e.getKey(), e.getValue().asText()));
        String type = desc.path("artifactType").asText(JSON.readTree(rm.get().bytes()).path("artifactType").asText(""));
        b.referrer(digest, stored, type, ann);
        any = true;
      }
    }
    if (!any) {
      return Optional.empty();
    }
    b.subject(repo, digest);
    return Optional.of(b);
  }

  private Digest addManifest(EvidenceBatch b, ImageReference m, Manifest man) throws IOException {
    for (JsonNode layer : JSON.readTree(man.bytes()).path("layers")) {
      Digest ld = Digest.parse(layer.path("digest").asText());
      b.blob(layer.path("mediaType").asText("application/octet-stream"), client.blob(m, ld, MAX_BLOB));
    }
    return b.blob(man.mediaType(), man.bytes());
  }
}
