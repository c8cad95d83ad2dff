package dev.airseal.signing.cosign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.log.rekor.RekorClient;
import dev.airseal.oci.Digest;
import dev.airseal.oci.ImageReference;
import dev.airseal.oci.RegistryClient;
import dev.airseal.signing.Signer;
import dev.airseal.signing.soft.KeyFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Attests an image the way {@code cosign attest --key} does: an in-toto statement about the image
 * digest in a DSSE envelope, logged as an intoto 0.0.2 entry, pushed as a layer of the image's
 * {@code sha256-<hex>.att} manifest.
 */
public final class ImageAttester {
  private static final ObjectMapper JSON = new ObjectMapper();

  public record Result(DsseEnvelope envelope, Optional<RekorClient.LoggedEntry> entry, ImageReference attTag) {}

  private final RegistryClient registry;

  public ImageAttester(RegistryClient registry) {
    this.registry = registry;
  }

  public Result attest(
      ImageReference image, Signer signer, String predicateType, JsonNode predicate,
      Optional<RekorClient> rekor, boolean upload, Optional<java.nio.file.Path> outputDir)
      throws IOException {
    Digest digest = image.digest();
    if (digest == null) {
      throw new IllegalArgumentException(
          "refusing to attest tag '" + image.tag() + "': give the image by digest (IMAGE@sha256:...)");
    }
    if (registry.manifest(image, digest.toString()).isEmpty()) {
      throw new IOException("image " + image + " is not in the registry");
    }
    byte[] statement =
        InTotoStatement.statement(SimpleSigning.dockerReference(image), digest.hex(), predicateType, predicate);
    DsseEnvelope env = DsseEnvelope.sign(signer, InTotoStatement.PAYLOAD_TYPE, statement);
    byte[] envJson = env.json();
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(Annotations.SIGNATURE, "");
    annotations.put("predicateType", predicateType);
    Optional<RekorClient.LoggedEntry> entry = Optional.empty();
    if (rekor.isPresent()) {
      entry = Optional.of(rekor.get().upload(intoto(signer, env, envJson)));
      annotations.put(Annotations.BUNDLE, RekorBundleAnnotation.from(entry.get().entry()));
    }
    ImageReference attTag = image.withTag(digest.cosignTagPrefix() + ".att");
    ImageSigner.publish(registry, image, attTag,
        SignatureManifest.Layer.of(DsseEnvelope.MEDIA_TYPE, envJson, annotations),
        new ImageSigner.Options(rekor, upload, Map.of(), outputDir));
    return new Result(env, entry, attTag);
  }

  /**
   * The intoto 0.0.2 proposal: Rekor's model base64-encodes the envelope's payload and signature
   * strings once more, and takes the SHA-256 of the envelope JSON as its hash.
   */
  public static JsonNode intoto(Signer signer, DsseEnvelope env, byte[] envJson) throws IOException {
    Base64.Encoder b64 = Base64.getEncoder();
    ObjectNode e = JSON.createObjectNode();
    e.put("apiVersion", "0.0.2");
    e.put("kind", "intoto");
    ObjectNode content = e.putObject("spec").putObject("content");
    ObjectNode envelope = content.putObject("envelope");
    envelope.put("payloadType", env.payloadType());
    envelope.put("payload", b64.encodeToString(b64.encodeToString(env.payload()).getBytes(StandardCharsets.US_ASCII)));
    ObjectNode sig = envelope.putArray("signatures").addObject();
    sig.put("sig", b64.encodeToString(b64.encodeToString(env.signature()).getBytes(StandardCharsets.US_ASCII)));
    sig.put("publicKey", b64.encodeToString(KeyFiles.publicKeyPem(signer.publicKey()).getBytes(StandardCharsets.US_ASCII)));
    content.putObject("hash").put("algorithm", "sha256").put("value", Digest.of(envJson).hex());
    return e;
  }
}
