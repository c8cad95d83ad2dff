package dev.airseal.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.bench.SyntheticEvidence;
import dev.airseal.oci.Digest;
import dev.airseal.oci.ImageReference;
import dev.airseal.oci.Manifest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bundle to cosign layout ({@code bundle export --cosign-dir}) and back ({@code bundle create
 * --cosign-dir}): the evidence crosses unchanged and still verifies; hostile layouts are refused,
 * each named by its defect. The real cosign reads and writes these layouts in CosignSaveLoadIT.
 */
class CosignLayoutTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final PrintStream QUIET = new PrintStream(java.io.OutputStream.nullOutputStream());
  @TempDir Path tmp;

  /** A bundle with one carried image (manifest, config, layer) signed and attested, and one image without. */
  private record Source(BundleFixtures fx, OpenedBundle opened, ImageReference carried, ImageReference bare) {}

  private Source source() throws Exception {
    BundleFixtures fx = new BundleFixtures();
    BundleContent c = new BundleContent();
    byte[] layer = "layer bytes".getBytes(StandardCharsets.UTF_8);
    byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
    byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + Manifest.OCI_MANIFEST + "\",\"config\":{\"mediaType\":"
        + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + Digest.of(config) + "\",\"size\":" + config.length
        + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + Digest.of(layer)
        + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
    Digest md = c.blob(manifest, Manifest.OCI_MANIFEST, TransferFormat.Role.IMAGE);
    c.imageBlob(Digest.of(config), config.length, "application/vnd.oci.image.config.v1+json",
        () -> new ByteArrayInputStream(config));
    c.imageBlob(Digest.of(layer), layer.length, "application/vnd.oci.image.layer.v1.tar",
        () -> new ByteArrayInputStream(layer));
    ImageReference carried = ImageReference.parse("registry.example/team/app@" + md);
    fx.evidence.add(c, carried, 1, 1, List.of("v1"), List.of(md));
    ImageReference bare = SyntheticEvidence.image("registry.example/team/tool", 2);
    fx.evidence.add(c, bare, 1, 0, List.of());
    c.signer(fx.evidence.signerSpec());
    c.trustedRoot(fx.evidence.trustedRoot().toJson(), fx.evidence.trustedRoot().mediaType());
    BundleFixtures.Built b = fx.build(c, 1, Optional.empty());
    Path spool = Files.createDirectories(tmp.resolve("spool"));
    OpenedBundle opened = BundleReader.open(new ByteArrayInputStream(b.bytes()), BundleLimits.defaults(),
        List.of(fx.trusted())).readBlobs(Optional.of(spool));
    return new Source(fx, opened, carried, bare);
  }

  private Path export(Source s) throws IOException {
    Path out = Files.createDirectories(tmp.resolve("out"));
    CosignLayoutWriter.write(s.opened(), s.opened().statement().images(), out);
    return out;
  }

  private static Path layoutOf(Path out, ImageReference ref) {
    return out.resolve(ref.context().replace('/', '_')).resolve(ref.digest().cosignTagPrefix());
  }

  @Test
  void export_writesWhatCosignSaveWrites_andCreateReadsItBackUnchanged() throws Exception {
    Source s = source();
    Path out = export(s);
    Path app = layoutOf(out, s.carried());
    assertThat(Files.readString(app.resolve("oci-layout"))).isEqualTo("{\"imageLayoutVersion\":\"1.0.0\"}");
    JsonNode index = JSON.readTree(app.resolve("index.json").toFile());
    assertThat(index.path("manifests").findValuesAsText("kind")).containsExactly(
        "dev.cosignproject.cosign/image", "dev.cosignproject.cosign/sigs", "dev.cosignproject.cosign/atts");
    assertThat(index.at("/manifests/0/digest").asText()).isEqualTo(s.carried().digest().toString());
    assertThat(JSON.readTree(layoutOf(out, s.bare()).resolve("index.json").toFile()).path("manifests")
        .findValuesAsText("kind")).containsExactly("dev.cosignproject.cosign/sigs");

    // Back into a bundle with repository and digest taken from the signed payloads.
    BundleContent c = new BundleContent();
    BundleCreator creator = new BundleCreator(c, QUIET);
    TransferStatement.Image app2 = creator.fromCosignDir(app, Optional.empty(), true);
    TransferStatement.Image tool2 = creator.fromCosignDir(layoutOf(out, s.bare()), Optional.empty(), false);
    TransferStatement.Image app1 = s.opened().statement().images().get(0);
    TransferStatement.Image tool1 = s.opened().statement().images().get(1);
    assertThat(app2.repository()).isEqualTo(app1.repository());
    assertThat(app2.digest()).isEqualTo(app1.digest());
    assertThat(app2.signatures()).isEqualTo(app1.signatures());
    assertThat(app2.attestations()).isEqualTo(app1.attestations());
    assertThat(app2.manifests()).isEqualTo(app1.manifests());
    assertThat(tool2.digest()).isEqualTo(tool1.digest());
    assertThat(tool2.signatures()).isEqualTo(tool1.signatures());
    assertThat(tool2.manifests()).isEmpty();

    c.signer(s.fx().evidence.signerSpec());
    BundleFixtures.Built again = s.fx().build(c, 2, Optional.of(s.opened().bundleDigest()));
    OpenedBundle reopened = BundleReader.open(new ByteArrayInputStream(again.bytes()), BundleLimits.defaults(),
        List.of(s.fx().trusted())).readBlobs(Optional.empty());
    EvidenceCheck.Result r = EvidenceCheck.verify(reopened, s.fx().evidence.trustedRoot(), Instant.now(), 1);
    assertThat(r.images()).extracting(EvidenceCheck.ImageReport::accepted).containsExactly(true, true);
  }

  @Test
  void create_refusesARepositoryItCannotRecord_andALayoutWithoutTheImageForIncludeImages() throws Exception {
    Source s = source();
    Path out = export(s);
    BundleCreator creator = new BundleCreator(new BundleContent(), QUIET);
    assertThatThrownBy(() -> creator.fromCosignDir(layoutOf(out, s.carried()), Optional.of("App"), false))
        .hasMessageContaining("\"App\"").hasMessageContaining("is not registry/repository");
    assertThatThrownBy(() -> creator.fromCosignDir(layoutOf(out, s.bare()), Optional.empty(), true))
        .hasMessageContaining("holds no image").hasMessageContaining("--include-images");
  }

  /** One defect per case: a mutation of a valid exported layout and the message that names it. */
  private record Defect(String name, Consumer<Path> mutate, String message) {}

  @Test
  void hostileLayouts_areRefusedWithTheirDefectNamed() throws Exception {
    Source s = source();
    Path outside = Files.writeString(tmp.resolve("secret.txt"), "not yours");
    List<Defect> defects = List.of(
        new Defect("index-names-missing-blob", d -> deleteBlob(d, sigDigest(d)), "does not hold"),
        new Defect("index-digest-traverses", d -> editIndex(d, 1, "digest", "sha256:../../../../etc/passwd"),
            "is not a sha256:<64 hex> digest"),
        new Defect("layer-digest-traverses", d -> editManifestLayerDigest(d, "sha256:../../secret.txt"),
            "is not a sha256:<64 hex> digest"),
        new Defect("blob-is-symlink", d -> replaceWithLink(d, sigDigest(d), outside), "is not a regular file"),
        new Defect("blobs-dir-is-symlink", d -> linkBlobsDirOutside(d), "lies outside the layout"),
        new Defect("blob-altered", d -> alter(d, sigDigest(d)), "does not hash to its name"),
        new Defect("size-mismatch", d -> editIndexSize(d, 1), "its descriptor says"),
        new Defect("unknown-kind", d -> editIndex(d, 1, "kind", "dev.example/other"), "has kind \"dev.example/other\""),
        new Defect("duplicate-sigs-entry", d -> duplicateEntry(d, 1), "lists two dev.cosignproject.cosign/sigs entries"),
        new Defect("no-oci-layout", d -> delete(d.resolve("oci-layout")), "not an OCI image layout"),
        new Defect("index-not-json", d -> write(d.resolve("index.json"), "{\"manifests\":["), "is not JSON"),
        new Defect("payload-for-other-image", d -> editIndex(d, 0, "digest", "sha256:" + "0".repeat(64)),
            "the signed payloads are about"));
    int n = 0;
    for (Defect defect : defects) {
      Path out = tmp.resolve("hostile-" + defect.name());
      Files.createDirectories(out);
      CosignLayoutWriter.write(s.opened(), List.of(s.opened().statement().images().get(0)), out);
      Path dir = layoutOf(out, s.carried());
      defect.mutate().accept(dir);
      BundleContent c = new BundleContent();
      assertThatThrownBy(() -> new BundleCreator(c, QUIET).fromCosignDir(dir, Optional.empty(), true))
          .as(defect.name()).isInstanceOf(IOException.class).hasMessageContaining(defect.message());
      assertThat(c.images()).as(defect.name()).isEmpty();
      n++;
    }
    System.out.println("hostile cosign layouts refused: " + n);
  }

  private static Digest sigDigest(Path d) {
    try {
      JsonNode sig = JSON.readTree(d.resolve("index.json").toFile()).at("/manifests/1/digest");
      JsonNode m = JSON.readTree(d.resolve("blobs/sha256/" + Digest.parse(sig.asText()).hex()).toFile());
      return Digest.parse(m.at("/layers/0/digest").asText());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void deleteBlob(Path d, Digest b) {
    delete(d.resolve("blobs/sha256/" + b.hex()));
  }

  private static void delete(Path p) {
    try {
      Files.delete(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void write(Path p, String s) {
    try {
      Files.writeString(p, s);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void editIndex(Path d, int entry, String field, String value) {
    try {
      JsonNode index = JSON.readTree(d.resolve("index.json").toFile());
      ObjectNode e = (ObjectNode) index.path("manifests").get(entry);
      if (field.equals("kind")) {
        ((ObjectNode) e.path("annotations")).put("kind", value);
      } else {
        e.put(field, value);
      }
      Files.write(d.resolve("index.json"), JSON.writeValueAsBytes(index));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void editIndexSize(Path d, int entry) {
    try {
      JsonNode index = JSON.readTree(d.resolve("index.json").toFile());
      ObjectNode e = (ObjectNode) index.path("manifests").get(entry);
      e.put("size", e.path("size").asLong() + 1);
      Files.write(d.resolve("index.json"), JSON.writeValueAsBytes(index));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void duplicateEntry(Path d, int entry) {
    try {
      JsonNode index = JSON.readTree(d.resolve("index.json").toFile());
      ((com.fasterxml.jackson.databind.node.ArrayNode) index.path("manifests")).add(index.path("manifests").get(entry));
      Files.write(d.resolve("index.json"), JSON.writeValueAsBytes(index));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  // Rewrites the sigs manifest so its layer names a path, and re-points index.json at the new manifest.
  private static void editManifestLayerDigest(Path d, String digest) {
    try {
      JsonNode index = JSON.readTree(d.resolve("index.json").toFile());
      ObjectNode e = (ObjectNode) index.path("manifests").get(1);
      ObjectNode m = (ObjectNode) JSON.readTree(d.resolve("blobs/sha256/" + Digest.parse(e.path("digest").asText()).hex())
          .toFile());
      ((ObjectNode) m.at("/layers/0")).put("digest", digest);
      byte[] bytes = JSON.writeValueAsBytes(m);
      Files.write(d.resolve("blobs/sha256/" + Digest.of(bytes).hex()), bytes);
      e.put("digest", Digest.of(bytes).toString()).put("size", bytes.length);
      Files.write(d.resolve("index.json"), JSON.writeValueAsBytes(index));
    } catch (IOException ex) {
      throw new java.io.UncheckedIOException(ex);
    }
  }

  private static void replaceWithLink(Path d, Digest b, Path target) {
    try {
      Path p = d.resolve("blobs/sha256/" + b.hex());
      Files.delete(p);
      Files.createSymbolicLink(p, target);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void linkBlobsDirOutside(Path d) {
    try {
      Path moved = Files.move(d.resolve("blobs"), d.getParent().resolve("blobs-elsewhere"));
      Files.createSymbolicLink(d.resolve("blobs"), moved);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void alter(Path d, Digest b) {
    try {
      Path p = d.resolve("blobs/sha256/" + b.hex());
      byte[] x = Files.readAllBytes(p);
      x[x.length / 2] ^= 1;
      Files.write(p, x);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void export_skipsImagesWithOnlyReferrersAndRefusesAnImageListedTwice() throws Exception {
    Source s = source();
    Path out = Files.createDirectories(tmp.resolve("twice"));
    List<TransferStatement.Image> twice = new ArrayList<>(s.opened().statement().images());
    twice.add(twice.get(0));
    assertThatThrownBy(() -> CosignLayoutWriter.write(s.opened(), twice, out)).hasMessageContaining("twice");
    TransferStatement.Image onlyReferrers = new TransferStatement.Image("registry.example/team/x",
        s.bare().digest(), List.of(), Optional.empty(), Optional.empty(), List.of(), List.of());
    assertThat(CosignLayoutWriter.writable(onlyReferrers)).isFalse();
  }
}
