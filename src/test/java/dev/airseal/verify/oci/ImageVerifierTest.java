package dev.airseal.verify.oci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airseal.oci.Digest;
import dev.airseal.oci.Manifest;
import dev.airseal.testing.TestEntries;
import dev.airseal.trust.TrustedRoot;
import dev.airseal.verify.Reason;
import dev.airseal.verify.VerificationPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Whatever a registry serves, the verifier answers with a verdict naming the defect. */
class ImageVerifierTest {
  private static final Digest IMAGE = Digest.of("image".getBytes(StandardCharsets.UTF_8));
  private static final String SIG_TAG = IMAGE.cosignTagPrefix() + ".sig";
  private static final KeyPair KEY = TestEntries.p256();
  private static final TrustedRoot EMPTY_ROOT =
      new TrustedRoot(TrustedRoot.MEDIA_TYPE_V01, List.of(), List.of(), List.of(), List.of());

  /** An in-memory repository; a null map value makes the source fail like an unreachable registry. */
  static final class MapSource implements ImageSource {
    final Map<String, byte[]> manifests = new HashMap<>();
    final Map<Digest, byte[]> blobs = new HashMap<>();
    boolean broken;

    @Override
    public Optional<Manifest> manifest(String reference) throws IOException {
      if (broken) {
        throw new IOException("connection refused");
      }
      byte[] m = manifests.get(reference);
      return m == null ? Optional.empty() : Optional.of(new Manifest(m, Manifest.OCI_MANIFEST, Digest.of(m)));
    }

    @Override
    public byte[] blob(Digest digest, long maxBytes) throws IOException {
      byte[] b = blobs.get(digest);
      if (b == null) {
        throw new IOException("GET blob " + digest + ": HTTP 404");
      }
      return b;
    }

    @Override
    public Optional<Manifest> referrers(Digest subject) throws IOException {
      return manifest(subject.cosignTagPrefix());
    }

    /** A .sig manifest with one layer holding {@code payload} and {@code annotations}. */
    void signature(byte[] payload, String annotations) {
      Digest d = Digest.of(payload);
      blobs.put(d, payload);
      manifests.put(SIG_TAG, ("{\"schemaVersion\":2,\"layers\":[{\"mediaType\":\"application/vnd.dev.cosign.simplesigning.v1+json\","
          + "\"digest\":\"" + d + "\",\"size\":" + payload.length + ",\"annotations\":" + annotations + "}]}")
          .getBytes(StandardCharsets.UTF_8));
    }
  }

  private static byte[] payload(Digest image, String type) {
    return ("{\"critical\":{\"identity\":{\"docker-reference\":\"r.example/app\"},\"image\":{\"docker-manifest-digest\":\""
        + image + "\"},\"type\":\"" + type + "\"},\"optional\":null}").getBytes(StandardCharsets.UTF_8);
  }

  private static String sign(byte[] payload) throws Exception {
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(KEY.getPrivate());
    s.update(payload);
    return Base64.getEncoder().encodeToString(s.sign());
  }

  private static ImageVerification verify(MapSource src, boolean ignoreTlog) {
    return new ImageVerifier(src, new ImageVerifier.Options(VerificationPolicy.forKey(KEY.getPublic()), EMPTY_ROOT, ignoreTlog))
        .verifySignatures(IMAGE);
  }

  private static List<String> checks(ImageVerification v) {
    return v.verdict().reasons().stream().map(Reason::check).toList();
  }

  @Test
  void verify_deniesImageWithoutSignatures() {
    ImageVerification v = verify(new MapSource(), false);
    assertThat(v.allowed()).isFalse();
    assertThat(v.verdict().reasons()).containsExactly(new Reason("image.signatures", "no signatures found for " + IMAGE));
  }

  @Test
  void verify_deniesWhenTheRegistryFails() {
    MapSource src = new MapSource();
    src.broken = true;
    ImageVerification v = verify(src, false);
    assertThat(v.allowed()).isFalse();
    assertThat(checks(v)).contains("registry");
  }

  @Test
  void verify_deniesMalformedManifest() {
    MapSource src = new MapSource();
    src.manifests.put(SIG_TAG, "not json".getBytes(StandardCharsets.UTF_8));
    assertThat(checks(verify(src, false))).contains("manifest.parse");
  }

  @Test
  void verify_deniesMissingLayerBlob() throws Exception {
    MapSource src = new MapSource();
    byte[] p = payload(IMAGE, ImageVerifier.SIMPLE_SIGNING_TYPE);
    src.signature(p, "{\"dev.cosignproject.cosign/signature\":\"" + sign(p) + "\"}");
    src.blobs.clear();
    assertThat(checks(verify(src, true))).contains("layer.blob");
  }

  @Test
  void verify_deniesPayloadThatIsNotJson() throws Exception {
    MapSource src = new MapSource();
    byte[] p = "{{".getBytes(StandardCharsets.UTF_8);
    src.signature(p, "{\"dev.cosignproject.cosign/signature\":\"" + sign(p) + "\"}");
    assertThat(checks(verify(src, true))).contains("payload.parse");
  }

  @Test
  void verify_deniesPayloadOfAnotherType() throws Exception {
    MapSource src = new MapSource();
    byte[] p = payload(IMAGE, "atomic container signature");
    src.signature(p, "{\"dev.cosignproject.cosign/signature\":\"" + sign(p) + "\"}");
    assertThat(checks(verify(src, true))).contains("payload.type");
  }

  @Test
  void verify_deniesPayloadForAnotherDigest() throws Exception {
    MapSource src = new MapSource();
    byte[] p = payload(Digest.of(new byte[1]), ImageVerifier.SIMPLE_SIGNING_TYPE);
    src.signature(p, "{\"dev.cosignproject.cosign/signature\":\"" + sign(p) + "\"}");
    assertThat(checks(verify(src, true))).contains("payload.digest");
  }

  @Test
  void verify_deniesLayerWithoutSignatureAnnotation() {
    MapSource src = new MapSource();
    src.signature(payload(IMAGE, ImageVerifier.SIMPLE_SIGNING_TYPE), "{}");
    assertThat(checks(verify(src, true))).contains("layer.signature");
  }

  @Test
  void verify_deniesUnloggedSignatureUnlessTlogIsIgnored() throws Exception {
    MapSource src = new MapSource();
    byte[] p = payload(IMAGE, ImageVerifier.SIMPLE_SIGNING_TYPE);
    src.signature(p, "{\"dev.cosignproject.cosign/signature\":\"" + sign(p) + "\"}");
    assertThat(checks(verify(src, false))).contains("layer.bundle");
    ImageVerification v = verify(src, true);
    assertThat(v.allowed()).as(v.verdict().toString()).isTrue();
    assertThat(v.verified()).hasSize(1);
  }

  @Test
  void verify_deniesGarbageRekorBundle() throws Exception {
    MapSource src = new MapSource();
    byte[] p = payload(IMAGE, ImageVerifier.SIMPLE_SIGNING_TYPE);
    src.signature(p, "{\"dev.cosignproject.cosign/signature\":\"" + sign(p) + "\",\"dev.sigstore.cosign/bundle\":\"{]\"}");
    assertThat(checks(verify(src, false))).contains("layer.bundle");
  }

  @Test
  void verify_ignoresTimestampsWhenTheRootHasNoTsa() throws Exception {
    MapSource src = new MapSource();
    byte[] p = payload(IMAGE, ImageVerifier.SIMPLE_SIGNING_TYPE);
    src.signature(p, "{\"dev.cosignproject.cosign/signature\":\"" + sign(p)
        + "\",\"dev.sigstore.cosign/rfc3161timestamp\":\"{\\\"SignedRFC3161Timestamp\\\":\\\"AAAA\\\"}\"}");
    ImageVerification v = verify(src, true);
    assertThat(v.allowed()).as(v.verdict().toString()).isTrue();
  }
}
