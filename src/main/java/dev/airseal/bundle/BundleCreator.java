package dev.airseal.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airseal.oci.Digest;
import dev.airseal.oci.ImageReference;
import dev.airseal.oci.Manifest;
import dev.airseal.oci.RegistryClient;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The connected side: collects an image's evidence from a registry (the {@code .sig}/{@code .att}
 * manifests and layers exactly as the registry holds them, and Sigstore-bundle referrers through
 * the referrers API or its tag fallback), or from a directory written by {@code cosign save}.
 */
public final class BundleCreator {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_EVIDENCE_BLOB = 32L << 20;
  private final BundleContent content;
  private final PrintStream progress;

  public BundleCreator(BundleContent content, PrintStream progress) {
    this.content = content;
    this.progress = progress;
  }

  /** Adds {@code ref} (a tag is resolved once and recorded); with {@code withImage}, the image too. */
  public TransferStatement.Image fromRegistry(RegistryClient client, ImageReference ref, boolean withImage)
      throws IOException {
    Manifest top = client.manifest(ref, ref.reference())
        .orElseThrow(() -> new IOException("no manifest for " + ref + " in its registry"));
    Digest digest = top.digest();
    if (ref.digest() != null && !ref.digest().equals(digest)) {
      throw new IOException("registry served " + digest + " for " + ref);
    }
    ImageReference image = ref.withDigest(digest);
    Optional<Digest> sig = evidenceManifest(client, image, digest.cosignTagPrefix() + ".sig");
    Optional<Digest> att = evidenceManifest(client, image, digest.cosignTagPrefix() + ".att");
    List<Digest> referrers = new ArrayList<>();
    Optional<Manifest> index = client.referrers(image, digest);
    if (index.isPresent() && Manifest.OCI_INDEX.equals(index.get().mediaType())) {
      for (JsonNode d : JSON.readTree(index.get().bytes()).path("manifests")) {
        if (d.path("artifactType").asText("").startsWith("application/vnd.dev.sigstore.bundle")) {
          Digest r = Digest.parse(d.path("digest").asText());
          evidenceManifest(client, image, r.toString()).ifPresent(referrers::add);
        }
      }
    }
    List<Digest> manifests = new ArrayList<>();
    if (withImage) {
      imageManifest(client, image, top, manifests);
    }
    List<String> tags = ref.tag() != null && ref.digest() == null ? List.of(ref.tag()) : List.of();
    TransferStatement.Image entry = new TransferStatement.Image(image.context(), digest, tags, sig, att, referrers,
        manifests);
    content.image(entry);
    progress.printf("  %s@%s: %s, %s, %d bundle referrers%s%n", image.context(), digest,
        sig.isPresent() ? "signatures" : "no signatures", att.isPresent() ? "attestations" : "no attestations",
        referrers.size(), withImage ? ", image carried" : "");
    return entry;
  }

  private Optional<Digest> evidenceManifest(RegistryClient client, ImageReference image, String reference)
      throws IOException {
    Optional<Manifest> m = client.manifest(image, reference);
    if (m.isEmpty()) {
      return Optional.empty();
    }
    JsonNode n = JSON.readTree(m.get().bytes());
    for (JsonNode d : descriptors(n)) {
      Digest b = Digest.parse(d.path("digest").asText());
      if (!content.has(b)) {
        content.blob(client.blob(image, b, MAX_EVIDENCE_BLOB), d.path("mediaType").asText(), TransferFormat.Role.EVIDENCE);
      }
    }
    return Optional.of(content.blob(m.get().bytes(), m.get().mediaType(), TransferFormat.Role.EVIDENCE));
  }

  private void imageManifest(RegistryClient client, ImageReference image, Manifest m, List<Digest> out)
      throws IOException {
    out.add(content.blob(m.bytes(), m.mediaType(), TransferFormat.Role.IMAGE));
    JsonNode n = JSON.readTree(m.bytes());
    for (JsonNode child : n.path("manifests")) {
      Manifest cm = client.manifest(image, child.path("digest").asText())
          .orElseThrow(() -> new IOException("index names a manifest the registry does not hold"));
      imageManifest(client, image, cm, out);
    }
    for (JsonNode d : descriptors(n)) {
      if (n.has("manifests")) {
        break;
      }
      Digest b = Digest.parse(d.path("digest").asText());
      long size = d.path("size").asLong();
      if (!content.has(b)) {
        // Image layers are fetched whole by the registry client; bounded by the bundle's limit.
        content.imageBlob(b, size, d.path("mediaType").asText(),
            () -> new java.io.ByteArrayInputStream(client.blob(image, b, Math.max(size, 1))));
      }
    }
  }

  /**
   * Adds the image a {@code cosign save --dir} layout holds, under {@code repository}: its
   * signatures, attestations and the image itself.
   */
  public TransferStatement.Image fromCosignDir(Path dir, String repository) throws IOException {
    JsonNode index = JSON.readTree(Files.readAllBytes(dir.resolve("index.json")));
    Digest image = null;
    Optional<Digest> sig = Optional.empty();
    Optional<Digest> att = Optional.empty();
    List<Digest> manifests = new ArrayList<>();
    for (JsonNode m : index.path("manifests")) {
      String kind = m.path("annotations").path("kind").asText("");
      Digest d = Digest.parse(m.path("digest").asText());
      switch (kind) {
        case "dev.cosignproject.cosign/image", "dev.cosignproject.cosign/imageIndex" -> {
          image = d;
          layoutManifest(dir, d, m.path("mediaType").asText(Manifest.OCI_MANIFEST), TransferFormat.Role.IMAGE, manifests);
        }
        case "dev.cosignproject.cosign/sigs" -> sig = Optional.of(layoutManifest(dir, d,
            m.path("mediaType").asText(Manifest.OCI_MANIFEST), TransferFormat.Role.EVIDENCE, new ArrayList<>()));
        case "dev.cosignproject.cosign/atts" -> att = Optional.of(layoutManifest(dir, d,
            m.path("mediaType").asText(Manifest.OCI_MANIFEST), TransferFormat.Role.EVIDENCE, new ArrayList<>()));
        default -> throw new IOException(dir + "/index.json: entry " + d + " has unknown kind \"" + kind
            + "\" (not a cosign save layout?)");
      }
    }
    if (image == null) {
      throw new IOException(dir + " holds no dev.cosignproject.cosign/image entry: not written by cosign save");
    }
    TransferStatement.Image entry = new TransferStatement.Image(repository, image, List.of(), sig, att, List.of(),
        manifests);
    content.image(entry);
    progress.printf("  %s@%s (cosign save layout %s)%n", repository, image, dir);
    return entry;
  }

  private Digest layoutManifest(Path dir, Digest d, String mediaType, TransferFormat.Role role, List<Digest> out)
      throws IOException {
    byte[] bytes = layoutBlob(dir, d);
    Digest added = content.blob(bytes, mediaType, role);
    out.add(added);
    JsonNode n = JSON.readTree(bytes);
    for (JsonNode child : n.path("manifests")) {
      layoutManifest(dir, Digest.parse(child.path("digest").asText()),
          child.path("mediaType").asText(Manifest.OCI_MANIFEST), role, out);
    }
    if (!n.has("manifests")) {
      for (JsonNode desc : descriptors(n)) {
        Digest b = Digest.parse(desc.path("digest").asText());
        Path p = dir.resolve("blobs").resolve("sha256").resolve(b.hex());
        if (content.has(b)) {
          continue;
        }
        if (role == TransferFormat.Role.IMAGE) {
          content.imageBlob(b, Files.size(p), desc.path("mediaType").asText(), () -> Files.newInputStream(p));
        } else {
          content.blob(layoutBlob(dir, b), desc.path("mediaType").asText(), role);
        }
      }
    }
    return added;
  }

  private static byte[] layoutBlob(Path dir, Digest d) throws IOException {
    byte[] b = Files.readAllBytes(dir.resolve("blobs").resolve("sha256").resolve(d.hex()));
    if (!Digest.of(b).equals(d)) {
      throw new IOException(dir + ": blob " + d + " does not hash to its name");
    }
    return b;
  }

  private static List<JsonNode> descriptors(JsonNode m) {
    List<JsonNode> out = new ArrayList<>();
    if (m.has("config")) {
      out.add(m.get("config"));
    }
    m.path("layers").forEach(out::add);
    return out;
  }
}
