package dev.airseal.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.bundle.BundleContent;
import dev.airseal.bundle.TransferFormat;
import dev.airseal.bundle.TransferKey;
import dev.airseal.bundle.TransferStatement;
import dev.airseal.log.Hex;
import dev.airseal.log.Rfc6962;
import dev.airseal.log.rekor.SignedEntryTimestamp;
import dev.airseal.log.rekor.kind.EntryTypes;
import dev.airseal.log.rekor.kind.InvalidEntryException;
import dev.airseal.oci.Digest;
import dev.airseal.oci.ImageReference;
import dev.airseal.oci.Manifest;
import dev.airseal.signing.SignatureAlgorithm;
import dev.airseal.signing.Signer;
import dev.airseal.signing.cosign.Annotations;
import dev.airseal.signing.cosign.DsseEnvelope;
import dev.airseal.signing.cosign.ImageSigner;
import dev.airseal.signing.cosign.InTotoStatement;
import dev.airseal.signing.cosign.RekorBundleAnnotation;
import dev.airseal.signing.cosign.SignatureManifest;
import dev.airseal.signing.cosign.SimpleSigning;
import dev.airseal.signing.soft.KeyGeneration;
import dev.airseal.signing.soft.SoftwareSigner;
import dev.airseal.trust.TlogInstance;
import dev.airseal.trust.TrustedRoot;
import dev.airseal.trust.ValidFor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Images signed and attested the way cosign does against a Rekor log, made in memory: a cosign key,
 * an "upstream" log key that signs SETs, and the trust root naming that log. For the bundle and HA
 * benches and the bundle tests; nothing here touches a registry or the network.
 */
public final class SyntheticEvidence {
  private static final ObjectMapper JSON = new ObjectMapper();

  public final Signer signingKey;
  public final Signer logKey;
  public final String logIdHex;
  public final Instant validFrom = Instant.now().minusSeconds(3600);
  private long nextIndex = 1;

  public SyntheticEvidence() {
    this(new SoftwareSigner(KeyGeneration.generate(SignatureAlgorithm.PKIX_ECDSA_P256_SHA_256),
        SignatureAlgorithm.PKIX_ECDSA_P256_SHA_256));
  }

  /** Images signed with {@code signingKey} (one a policy already requires, say). */
  public SyntheticEvidence(Signer signingKey) {
    this.signingKey = signingKey;
    logKey = new SoftwareSigner(KeyGeneration.generate(SignatureAlgorithm.PKIX_ECDSA_P256_SHA_256),
        SignatureAlgorithm.PKIX_ECDSA_P256_SHA_256);
    logIdHex = Hex.encode(Rfc6962.sha256(logKey.publicKey().getEncoded()));
  }

  /** The trust root of the upstream log (what the site must trust to check SETs). */
  public TrustedRoot trustedRoot() {
    byte[] der = logKey.publicKey().getEncoded();
    TlogInstance t = new TlogInstance("https://rekor.upstream.example", "SHA2_256", logKey.publicKey(),
        "PKIX_ECDSA_P256_SHA_256", der, ValidFor.from(validFrom), Rfc6962.sha256(der), null, null);
    return new TrustedRoot(TrustedRoot.MEDIA_TYPE_V01, List.of(t), List.of(), List.of(), List.of());
  }

  /** The signer entry a producer writes for {@link #signingKey}. */
  public TransferStatement.SignerSpec signerSpec() {
    return new TransferStatement.SignerSpec(Optional.of(TransferKey.toPem(signingKey.publicKey())), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), false);
  }

  /** A random image digest in {@code repository}. */
  public static ImageReference image(String repository, int n) {
    byte[] m = ("{\"schemaVersion\":2,\"n\":" + n + ",\"r\":\"" + repository + "\",\"t\":" + System.nanoTime() + "}")
        .getBytes(StandardCharsets.UTF_8);
    return ImageReference.parse(repository + "@" + Digest.of(m));
  }

  /** Adds {@code image} with {@code signatures} signature layers and {@code attestations} attestation layers. */
  public void add(BundleContent c, ImageReference image, int signatures, int attestations, List<String> tags)
      throws IOException {
    add(c, image, signatures, attestations, tags, List.of());
  }

  /** As above, with the image's own manifests carried (role image). */
  public void add(BundleContent c, ImageReference image, int signatures, int attestations, List<String> tags,
      List<Digest> manifests) throws IOException {
    Optional<Digest> sig = Optional.empty();
    Optional<Digest> att = Optional.empty();
    if (signatures > 0) {
      List<SignatureManifest.Layer> layers = new ArrayList<>();
      for (int i = 0; i < signatures; i++) {
        layers.add(signatureLayer(image, Map.of("n", Integer.toString(i))));
      }
      sig = Optional.of(manifest(c, layers));
    }
    if (attestations > 0) {
      List<SignatureManifest.Layer> layers = new ArrayList<>();
      for (int i = 0; i < attestations; i++) {
        layers.add(attestationLayer(image, i));
      }
      att = Optional.of(manifest(c, layers));
    }
    c.image(new TransferStatement.Image(image.context(), image.digest(), tags, sig, att, List.of(), manifests));
  }

  /**
   * Adds a signed image (one signature) whose one layer is carried in the bundle: {@code size}
   * bytes read from {@code layer} when the bundle is written, hashing to {@code layerDigest}.
   * Returns the image's reference by manifest digest.
   */
  public ImageReference carriedImage(BundleContent c, String repository, String tag, Digest layerDigest, long size,
      BundleContent.BlobSource layer) throws IOException {
    String layerType = "application/vnd.oci.image.layer.v1.tar+gzip";
    c.imageBlob(layerDigest, size, layerType, layer);
    byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
        + layerDigest + "\"]}}").getBytes(StandardCharsets.UTF_8);
    Digest configDigest = c.blob(config, "application/vnd.oci.image.config.v1+json", TransferFormat.Role.IMAGE);
    byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + Manifest.OCI_MANIFEST + "\",\"config\":{\"mediaType\":"
        + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest + "\",\"size\":" + config.length
        + "},\"layers\":[{\"mediaType\":\"" + layerType + "\",\"digest\":\"" + layerDigest + "\",\"size\":" + size
        + "}]}").getBytes(StandardCharsets.UTF_8);
    Digest m = c.blob(manifest, Manifest.OCI_MANIFEST, TransferFormat.Role.IMAGE);
    ImageReference image = ImageReference.parse(repository + "@" + m);
    add(c, image, 1, 0, List.of(tag), List.of(m));
    return image;
  }

  private static Digest manifest(BundleContent c, List<SignatureManifest.Layer> layers) {
    SignatureManifest m = SignatureManifest.empty();
    for (SignatureManifest.Layer l : layers) {
      m.add(l);
      c.blob(l.payload(), l.mediaType(), TransferFormat.Role.EVIDENCE);
    }
    byte[] config = m.config();
    c.blob(config, "application/vnd.oci.image.config.v1+json", TransferFormat.Role.EVIDENCE);
    return c.blob(m.manifest(config), Manifest.OCI_MANIFEST, TransferFormat.Role.EVIDENCE);
  }

  /** A cosign signature layer for {@code image}, logged (SET) by the upstream log. */
  public SignatureManifest.Layer signatureLayer(ImageReference image, Map<String, String> annotations)
      throws IOException {
    byte[] payload = SimpleSigning.payload(image, image.digest(), annotations);
    byte[] signature = signingKey.sign(payload);
    Map<String, String> ann = new LinkedHashMap<>();
    ann.put(Annotations.SIGNATURE, Base64.getEncoder().encodeToString(signature));
    ann.put(Annotations.BUNDLE, logged(ImageSigner.hashedRekord(signingKey, payload, signature)));
    return SignatureManifest.Layer.of(SimpleSigning.MEDIA_TYPE, payload, ann);
  }

  private SignatureManifest.Layer attestationLayer(ImageReference image, int n) throws IOException {
    ObjectNode predicate = JSON.createObjectNode().put("buildType", "bench").put("n", n);
    byte[] statement = InTotoStatement.statement(image.context(), image.digest().hex(),
        "https://slsa.dev/provenance/v1", predicate);
    DsseEnvelope env = DsseEnvelope.sign(signingKey, InTotoStatement.PAYLOAD_TYPE, statement);
    byte[] envJson = env.json();
    Map<String, String> ann = new LinkedHashMap<>();
    ann.put(Annotations.SIGNATURE, "");
    ann.put("predicateType", "https://slsa.dev/provenance/v1");
    ann.put(Annotations.BUNDLE, logged(dev.airseal.signing.cosign.ImageAttester.intoto(signingKey, env, envJson)));
    return SignatureManifest.Layer.of(DsseEnvelope.MEDIA_TYPE, envJson, ann);
  }

  // What the upstream Rekor would answer: canonical body, integrated time, index, SET.
  private synchronized String logged(JsonNode proposed) throws IOException {
    byte[] body;
    try {
      body = EntryTypes.canonicalize(proposed).body();
    } catch (InvalidEntryException e) {
      throw new IOException("synthetic entry does not canonicalize: " + e.getMessage(), e);
    }
    long time = Instant.now().getEpochSecond() - 60;
    long index = nextIndex++;
    byte[] set = SignedEntryTimestamp.sign(logKey, body, time, logIdHex, index);
    ObjectNode entry = JSON.createObjectNode();
    entry.put("body", Base64.getEncoder().encodeToString(body));
    entry.put("integratedTime", time);
    entry.put("logIndex", index);
    entry.put("logID", logIdHex);
    entry.putObject("verification").put("signedEntryTimestamp", Base64.getEncoder().encodeToString(set));
    return RekorBundleAnnotation.from(entry);
  }
}
