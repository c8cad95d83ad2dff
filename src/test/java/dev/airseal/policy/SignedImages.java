package dev.airseal.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airseal.oci.Digest;
import dev.airseal.oci.ImageReference;
import dev.airseal.oci.Manifest;
import dev.airseal.signing.Signer;
import dev.airseal.signing.cosign.Annotations;
import dev.airseal.signing.cosign.DsseEnvelope;
import dev.airseal.signing.cosign.InTotoStatement;
import dev.airseal.signing.cosign.SignatureManifest;
import dev.airseal.signing.cosign.SimpleSigning;
import dev.airseal.verify.oci.ImageSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An in-memory repository whose images are signed and attested with the project's own cosign
 * code (simple-signing payloads, DSSE envelopes, signature manifests) as {@code airseal sign}
 * lays them out: {@code sha256-<hex>.sig} / {@code .att} manifests, blobs by digest. No log
 * entries: policies under test say {@code rekor.ignoreTlog} where they need to.
 */
final class SignedImages implements ImageSource {
  private final Map<String, SignatureManifest> manifests = new HashMap<>();
  private final Map<Digest, byte[]> blobs = new HashMap<>();

  static ImageReference image(String name) {
    Digest d = Digest.of(name.getBytes(StandardCharsets.UTF_8));
    return ImageReference.parse(name).withDigest(d);
  }

  void sign(ImageReference image, Signer signer, Map<String, String> payloadAnnotations, X509Certificate cert) {
    byte[] payload = SimpleSigning.payload(image, image.digest(), payloadAnnotations);
    Map<String, String> ann = new LinkedHashMap<>();
    ann.put(Annotations.SIGNATURE, Base64.getEncoder().encodeToString(signer.sign(payload)));
    if (cert != null) {
      ann.put(Annotations.CERTIFICATE, pem(cert));
    }
    add(image.digest().cosignTagPrefix() + ".sig", SignatureManifest.Layer.of(SimpleSigning.MEDIA_TYPE, payload, ann));
  }

  void attest(ImageReference image, Signer signer, String predicateType, JsonNode predicate, X509Certificate cert) {
    byte[] statement = InTotoStatement.statement(
        image.context(), image.digest().hex(), predicateType, predicate);
    byte[] env = DsseEnvelope.sign(signer, InTotoStatement.PAYLOAD_TYPE, statement).json();
    Map<String, String> ann = new LinkedHashMap<>();
    ann.put(Annotations.SIGNATURE, "");
    ann.put("predicateType", predicateType);
    if (cert != null) {
      ann.put(Annotations.CERTIFICATE, pem(cert));
    }
    add(image.digest().cosignTagPrefix() + ".att", SignatureManifest.Layer.of(DsseEnvelope.MEDIA_TYPE, env, ann));
  }

  private void add(String tag, SignatureManifest.Layer layer) {
    manifests.computeIfAbsent(tag, t -> SignatureManifest.empty()).add(layer);
    blobs.put(layer.digest(), layer.payload());
  }

  static String pem(X509Certificate c) {
    try {
      return "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(c.getEncoded())
          + "\n-----END CERTIFICATE-----\n";
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public Optional<Manifest> manifest(String reference) {
    SignatureManifest m = manifests.get(reference);
    if (m == null) {
      return Optional.empty();
    }
    byte[] config = m.config();
    blobs.put(Digest.of(config), config);
    byte[] bytes = m.manifest(config);
    return Optional.of(new Manifest(bytes, Manifest.OCI_MANIFEST, Digest.of(bytes)));
  }

  @Override
  public byte[] blob(Digest digest, long maxBytes) throws IOException {
    byte[] b = blobs.get(digest);
    if (b == null) {
      throw new IOException("blob " + digest + " not found");
    }
    return b;
  }

  @Override
  public Optional<Manifest> referrers(Digest subject) {
    return Optional.empty();
  }
}
