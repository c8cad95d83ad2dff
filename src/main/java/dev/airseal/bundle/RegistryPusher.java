package dev.airseal.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airseal.oci.Digest;
import dev.airseal.oci.ImageReference;
import dev.airseal.oci.RegistryClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code --push-to}: copies carried images and their signatures into the site registry, keeping
 * repository paths and digests (only the registry host changes), so one trip updates both the
 * registry and the evidence store. Blobs before manifests, children before indexes.
 */
public final class RegistryPusher implements TransferImporter.Pusher {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final RegistryClient client;
  private final String registry;

  public RegistryPusher(RegistryClient client, String registry) {
    this.client = client;
    this.registry = registry;
  }

  @Override
  public void push(OpenedBundle b, List<TransferStatement.Image> images) throws IOException {
    Map<Digest, TransferStatement.BlobRef> listed = new java.util.HashMap<>();
    b.statement().blobs().forEach(r -> listed.put(r.digest(), r));
    for (TransferStatement.Image i : images) {
      String repo = i.repository().substring(i.repository().indexOf('/') + 1);
      ImageReference target = new ImageReference(registry, repo, "latest", null);
      if (!i.manifests().isEmpty()) {
        List<Digest> order = new ArrayList<>(i.manifests());
        java.util.Collections.reverse(order);
        for (Digest m : order) {
          putManifest(b, target, m, m.toString(), listed);
        }
        for (String t : i.tags()) {
          putManifest(b, target, i.digest(), t, listed);
        }
      }
      Optional<Digest> sig = i.signatures();
      if (sig.isPresent()) {
        putManifest(b, target, sig.get(), i.digest().cosignTagPrefix() + ".sig", listed);
      }
      if (i.attestations().isPresent()) {
        putManifest(b, target, i.attestations().get(), i.digest().cosignTagPrefix() + ".att", listed);
      }
      for (Digest r : i.referrers()) {
        putManifest(b, target, r, r.toString(), listed);
      }
    }
  }

  private void putManifest(OpenedBundle b, ImageReference target, Digest m, String reference,
      Map<Digest, TransferStatement.BlobRef> listed) throws IOException {
    byte[] bytes = b.blob(m).orElseThrow(() -> new IOException("manifest " + m + " is not in the bundle"));
    JsonNode n = JSON.readTree(bytes);
    if (!n.has("manifests")) {
      List<JsonNode> ds = new ArrayList<>();
      if (n.has("config")) {
        ds.add(n.get("config"));
      }
      n.path("layers").forEach(ds::add);
      for (JsonNode d : ds) {
        putBlob(b, target, Digest.parse(d.path("digest").asText()));
      }
    }
    client.putManifest(target, reference, bytes, listed.get(m).mediaType());
  }

  // Evidence and manifests are in memory already; image blobs (layers of any size) are streamed
  // from the spool the reader wrote them to after checking their digests, never read whole.
  private void putBlob(OpenedBundle b, ImageReference target, Digest d) throws IOException {
    Optional<byte[]> kept = b.blob(d);
    if (kept.isPresent()) {
      client.putBlob(target, kept.get());
      return;
    }
    Path p = b.spool().map(s -> s.resolve(d.hex())).orElseThrow(() -> new IOException("blob " + d + " was not spooled"));
    if (!Files.exists(p)) {
      throw new IOException("blob " + d + " was not spooled");
    }
    client.putBlob(target, d, p);
  }
}
