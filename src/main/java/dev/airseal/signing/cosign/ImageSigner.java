package dev.airseal.signing.cosign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.log.rekor.RekorClient;
import dev.airseal.oci.Digest;
import dev.airseal.oci.ImageReference;
import dev.airseal.oci.RegistryClient;
import dev.airseal.signing.Signer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Signs an image the way {@code cosign sign --key} does: a simple-signing payload for the digest,
 * its signature entered in a Rekor log as a hashedrekord, and a layer on the image's
 * {@code sha256-<hex>.sig} manifest carrying the signature and the entry's SET.
 */
public final class ImageSigner {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Where the signature goes. */
  public record Options(
      Optional<RekorClient> rekor,
      boolean upload,
      Map<String, String> annotations,
      Optional<java.nio.file.Path> outputDir) {
    public Options(Optional<RekorClient> rekor, boolean upload, Map<String, String> annotations) {
      this(rekor, upload, annotations, Optional.empty());
    }
  }

  /** cosign v3's sign predicate: the statement's subject is the image; the predicate is empty. */
  public static final String SIGN_PREDICATE = "https://sigstore.dev/cosign/sign/v1";

  /** What was produced: payload, signature, the Rekor entry (if logged) and the layer. */
  public record Result(
      byte[] payload,
      byte[] signature,
      Optional<RekorClient.LoggedEntry> entry,
      SignatureManifest.Layer layer,
      ImageReference signatureTag) {}

  private final RegistryClient registry;

  public ImageSigner(RegistryClient registry) {
    this.registry = registry;
  }

  public Result sign(ImageReference image, Signer signer, Options options) throws IOException {
    Digest digest = image.digest();
    if (digest == null) {
      // A tag can move between signing and pushing; cosign's best practice is to sign digests.
      throw new IllegalArgumentException(
          "refusing to sign tag '" + image.tag() + "': give the image by digest (IMAGE@sha256:...)");
    }
    if (!registry.manifest(image, digest.toString()).isPresent()) {
      throw new IOException("image " + image + " is not in the registry");
    }
    byte[] payload = SimpleSigning.payload(image, digest, options.annotations());
    byte[] signature = signer.sign(payload);
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(Annotations.SIGNATURE, Base64.getEncoder().encodeToString(signature));
    Optional<RekorClient.LoggedEntry> entry = Optional.empty();
    if (options.rekor().isPresent()) {
      entry = Optional.of(options.rekor().get().upload(hashedRekord(signer, payload, signature)));
      annotations.put(Annotations.BUNDLE, RekorBundleAnnotation.from(entry.get().entry()));
    }
    SignatureManifest.Layer layer =
        SignatureManifest.Layer.of(SimpleSigning.MEDIA_TYPE, payload, annotations);
    ImageReference sigTag = image.withTag(digest.cosignTagPrefix() + ".sig");
    publish(registry, image, sigTag, layer, options);
    return new Result(payload, signature, entry, layer, sigTag);
  }

  /**
   * The cosign v3 layout: an in-toto statement (predicate {@link #SIGN_PREDICATE}) about the image
   * in DSSE, logged as dsse 0.0.1, in a Sigstore bundle v0.3 pushed as an OCI referrer.
   */
  public BundleResult signBundle(ImageReference image, Signer signer, Options options) throws IOException {
    Digest digest = image.digest();
    if (digest == null) {
      throw new IllegalArgumentException(
          "refusing to sign tag '" + image.tag() + "': give the image by digest (IMAGE@sha256:...)");
    }
    dev.airseal.oci.Manifest subject = registry.manifest(image, digest.toString())
        .orElseThrow(() -> new IOException("image " + image + " is not in the registry"));
    ObjectNode predicate = JSON.createObjectNode();
    options.annotations().forEach((k, v) -> predicate.with("annotations").put(k, v));
    byte[] statement =
        InTotoStatement.statement(SimpleSigning.dockerReference(image), digest.hex(), SIGN_PREDICATE, predicate);
    DsseEnvelope env = DsseEnvelope.sign(signer, InTotoStatement.PAYLOAD_TYPE, statement);
    JsonNode entry = null;
    if (options.rekor().isPresent()) {
      entry = options.rekor().get().upload(dsse(signer, env)).entry();
    }
    ObjectNode bundle = SigstoreBundle.dsse(signer, env, entry);
    byte[] bundleBytes = JSON.writeValueAsBytes(bundle);
    Optional<Digest> referrer = Optional.empty();
    if (options.upload()) {
      referrer = Optional.of(BundleReferrer.push(registry, image, subject, bundleBytes, Map.of(
          "dev.sigstore.bundle.content", "dsse-envelope",
          "dev.sigstore.bundle.predicateType", SIGN_PREDICATE)));
    }
    return new BundleResult(bundle, referrer);
  }

  /**
   * Appends {@code layer} to the signature manifest under {@code tag} (as the registry holds it),
   * then pushes it and/or writes it, with every blob it names, into an OCI layout directory.
   */
  static void publish(
      RegistryClient registry, ImageReference image, ImageReference tag, SignatureManifest.Layer layer,
      Options options) throws IOException {
    if (!options.upload() && options.outputDir().isEmpty()) {
      return;
    }
    Optional<dev.airseal.oci.Manifest> existing = registry.manifest(tag, tag.tag());
    SignatureManifest m = existing.isPresent() ? SignatureManifest.parse(existing.get()) : SignatureManifest.empty();
    m.add(layer);
    byte[] config = m.config();
    byte[] manifest = m.manifest(config);
    if (options.upload()) {
      registry.putBlob(tag, layer.payload());
      registry.putBlob(tag, config);
      registry.putManifest(tag, tag.tag(), manifest, dev.airseal.oci.Manifest.OCI_MANIFEST);
    }
    if (options.outputDir().isPresent()) {
      dev.airseal.oci.OciLayout layout = dev.airseal.oci.OciLayout.open(options.outputDir().get());
      for (SignatureManifest.Existing l : m.layers()) {
        byte[] blob = l.digest().equals(layer.digest()) ? layer.payload() : registry.blob(tag, l.digest(), 16L << 20);
        layout.writeBlob(blob);
      }
      layout.writeBlob(config);
      layout.addManifest(manifest, dev.airseal.oci.Manifest.OCI_MANIFEST, tag.tag(),
          Map.of("dev.airseal.image", image.toString()));
    }
  }

  /** The bundle and, when pushed, the referrer manifest holding it. */
  public record BundleResult(ObjectNode bundle, Optional<Digest> referrer) {}

  /** The dsse 0.0.1 proposal: the envelope as a JSON string and the verifier's PEM. */
  static JsonNode dsse(Signer signer, DsseEnvelope env) throws IOException {
    ObjectNode e = JSON.createObjectNode();
    e.put("apiVersion", "0.0.1");
    e.put("kind", "dsse");
    ObjectNode pc = e.putObject("spec").putObject("proposedContent");
    pc.put("envelope", new String(env.json(), StandardCharsets.UTF_8));
    pc.putArray("verifiers").add(Base64.getEncoder().encodeToString(
        dev.airseal.signing.soft.KeyFiles.publicKeyPem(signer.publicKey()).getBytes(StandardCharsets.US_ASCII)));
    return e;
  }

  /** The hashedrekord 0.0.1 proposal for a signature over {@code payload}. */
  public static JsonNode hashedRekord(Signer signer, byte[] payload, byte[] signature) throws IOException {
    String digestName = signer.algorithm().digest();
    if (digestName == null) {
      throw new IllegalArgumentException(
          "hashedrekord logs signatures over digests; " + signer.algorithm() + " signs messages");
    }
    String id = digestName.replace("-", "").toLowerCase(java.util.Locale.ROOT);
    ObjectNode e = JSON.createObjectNode();
    e.put("apiVersion", "0.0.1");
    e.put("kind", "hashedrekord");
    ObjectNode spec = e.putObject("spec");
    spec.putObject("data").putObject("hash").put("algorithm", id).put("value", hex(digestName, payload));
    ObjectNode sig = spec.putObject("signature");
    sig.put("content", Base64.getEncoder().encodeToString(signature));
    sig.putObject("publicKey").put("content", Base64.getEncoder().encodeToString(
        dev.airseal.signing.soft.KeyFiles.publicKeyPem(signer.publicKey()).getBytes(StandardCharsets.US_ASCII)));
    return e;
  }

  private static String hex(String alg, byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(alg).digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
