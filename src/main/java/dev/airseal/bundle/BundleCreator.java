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

  // cosign's tags for what it attaches to a digest: signatures, attestations, SBOMs.
  private static final java.util.regex.Pattern COSIGN_TAG =
      java.util.regex.Pattern.compile("sha256-[0-9a-f]{64}(\\.(sig|att|sbom))?");

  /**
   * A repository's tags that name images: cosign's attachment tags are carried with the image
   * they belong to, not as images of their own.
   */
  public static List<String> imageTags(List<String> tags) {
    return tags.stream().filter(t -> !COSIGN_TAG.matcher(t).matches()).distinct().toList();
  }

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
        // Streamed from the registry into the bundle when it is written (a layer can be larger
        // than the heap); the writer checks size and digest on the way.
        content.imageBlob(b, size, d.path("mediaType").asText(), () -> client.openBlob(image, b));
      }
    }
  }

  /**
   * Adds the image a {@code cosign save --dir} layout holds: its signatures and attestations
   * (manifests and layers exactly as saved, which is as the registry held them) and, with {@code
   * withImage}, the image itself. The image digest comes from the layout's image entry, else from
   * what the signatures and attestations are about; the repository, when not given, from the
   * signed payloads' {@code docker-reference} / subject name.
   */
  public TransferStatement.Image fromCosignDir(Path dir, Optional<String> repository, boolean withImage)
      throws IOException {
    CosignLayout layout = CosignLayout.open(dir);
    Optional<CosignLayout.Entry> image = layout.image();
    Optional<CosignLayout.Entry> sigEntry = layout.entry(CosignLayout.SIGS);
    Optional<CosignLayout.Entry> attEntry = layout.entry(CosignLayout.ATTS);
    if (sigEntry.isEmpty() && attEntry.isEmpty()) {
      throw new IOException(dir + " holds no signatures or attestations (no " + CosignLayout.SIGS + " or "
          + CosignLayout.ATTS + " entry): nothing to carry");
    }
    if (withImage && image.isEmpty()) {
      throw new IOException(dir + " holds no image (no " + CosignLayout.IMAGE + " entry) to carry with --include-images");
    }
    CosignSubjects subjects = new CosignSubjects(dir);
    Optional<Digest> sig = Optional.empty();
    Optional<Digest> att = Optional.empty();
    if (sigEntry.isPresent()) {
      sig = Optional.of(layoutEvidence(layout, sigEntry.get(), subjects::fromSignatureLayer));
    }
    if (attEntry.isPresent()) {
      att = Optional.of(layoutEvidence(layout, attEntry.get(), subjects::fromAttestationLayer));
    }
    Digest digest = subjects.imageDigest(image.map(CosignLayout.Entry::digest));
    String repo = repository.isPresent() ? repository.get() : subjects.repository();
    if (!TransferStatement.REPOSITORY.matcher(repo).matches()) {
      throw new IOException("repository \"" + repo + "\" for " + dir + " is not registry/repository (lowercase)");
    }
    List<Digest> manifests = new ArrayList<>();
    if (withImage) {
      CosignLayout.Entry e = image.get();
      layoutImageManifest(layout, e.digest(), e.mediaType(), e.size(), manifests, 0);
    }
    TransferStatement.Image entry = new TransferStatement.Image(repo, digest, List.of(), sig, att, List.of(),
        manifests);
    content.image(entry);
    progress.printf("  %s@%s (cosign save layout %s): %s, %s%s%n", repo, digest, dir,
        sig.isPresent() ? "signatures" : "no signatures", att.isPresent() ? "attestations" : "no attestations",
        withImage ? ", image carried" : "");
    return entry;
  }

  /** What a layer says it is about, read while the layer is added. */
  private interface LayerSubject {
    void read(byte[] layer, String mediaType) throws IOException;
  }

  private Digest layoutEvidence(CosignLayout layout, CosignLayout.Entry e, LayerSubject subject) throws IOException {
    if (CosignLayout.isIndex(e.mediaType())) {
      throw new IOException(layout.dir() + ": the " + e.kind() + " entry is an index; cosign writes a manifest");
    }
    byte[] bytes = layout.read(e.digest(), e.size(), CosignLayout.MAX_MANIFEST);
    JsonNode n = CosignLayout.json(bytes, layout.dir() + ": " + e.kind() + " manifest " + e.digest());
    List<JsonNode> ds = CosignLayout.descriptors(n);
    for (int i = 0; i < ds.size(); i++) {
      JsonNode d = ds.get(i);
      Digest b = CosignLayout.digest(d.path("digest").asText(""), layout.dir() + ": " + e.kind() + " manifest");
      byte[] blob = layout.read(b, d.path("size").asLong(-1), MAX_EVIDENCE_BLOB);
      content.blob(blob, d.path("mediaType").asText(), TransferFormat.Role.EVIDENCE);
      if (i > 0 || !n.has("config")) {
        subject.read(blob, d.path("mediaType").asText());
      }
    }
    return content.blob(bytes, e.mediaType(), TransferFormat.Role.EVIDENCE);
  }

  private void layoutImageManifest(CosignLayout layout, Digest d, String mediaType, long size, List<Digest> out,
      int depth) throws IOException {
    if (depth > 2) {
      throw new IOException(layout.dir() + ": image indexes nested more than two deep");
    }
    byte[] bytes = layout.read(d, size, CosignLayout.MAX_MANIFEST);
    out.add(content.blob(bytes, mediaType, TransferFormat.Role.IMAGE));
    JsonNode n = CosignLayout.json(bytes, layout.dir() + ": image manifest " + d);
    for (JsonNode desc : CosignLayout.descriptors(n)) {
      Digest b = CosignLayout.digest(desc.path("digest").asText(""), layout.dir() + ": image manifest " + d);
      long bs = desc.path("size").asLong(-1);
      String type = desc.path("mediaType").asText("");
      if (n.has("manifests")) {
        layoutImageManifest(layout, b, type, bs, out, depth + 1);
      } else if (!content.has(b)) {
        Path p = layout.file(b, bs);
        // Image layers are streamed when the bundle is written; the writer checks their digests.
        content.imageBlob(b, bs, type, () -> Files.newInputStream(p));
      }
    }
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
