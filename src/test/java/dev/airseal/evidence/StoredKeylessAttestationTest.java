package dev.airseal.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airseal.oci.Digest;
import dev.airseal.oci.Manifest;
import dev.airseal.store.EvidenceBatch;
import dev.airseal.store.EvidenceStore;
import dev.airseal.testing.Vectors;
import dev.airseal.trust.TrustedRoot;
import dev.airseal.verify.VerificationPolicy;
import dev.airseal.verify.oci.ImageVerification;
import dev.airseal.verify.oci.ImageVerifier;
import dev.airseal.verify.x509.IdentityPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The keyless image path end to end on third-party data: cosign's own fixture (a public-good
 * Fulcio certificate, a Rekor dsse entry, a bundle v0.3 stored as an OCI referrer of an image)
 * put into the evidence store as a registry holds it, then verified through the store.
 */
class StoredKeylessAttestationTest {
  private static final Digest IMAGE =
      Digest.parse("sha256:732112270d7e59418a8c080b134b24cabd67d250d0d0147a97ed95ba5c280aa4");
  private static final String BUNDLE_TYPE = "application/vnd.dev.sigstore.bundle.v0.3+json";
  private static final String ISSUER = "https://github.com/login/oauth";
  private static final String REPO = "127.0.0.1:60943/repo";
  private static EvidenceStore store;
  private static TrustedRoot root;

  @BeforeAll
  static void load() throws Exception {
    Path dir = Vectors.dir("cosign").resolve("testdata/pkg/cosign/testdata");
    byte[] bundle = Files.readAllBytes(dir.resolve("oci-attestation.sigstore.json"));
    root = TrustedRoot.read(dir.resolve("trusted_root_pgi.json"));
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    Flyway.configure().dataSource(ds).load().migrate();
    store = new EvidenceStore(ds);

    // What cosign v3 pushes: a manifest whose subject is the image and whose one layer is the bundle.
    EvidenceBatch b = new EvidenceBatch();
    Digest empty = b.blob("application/vnd.oci.empty.v1+json", "{}".getBytes(StandardCharsets.UTF_8));
    Digest layer = b.blob(BUNDLE_TYPE, bundle);
    String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + Manifest.OCI_MANIFEST + "\","
        + "\"artifactType\":\"" + BUNDLE_TYPE + "\","
        + "\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\"" + empty + "\",\"size\":2},"
        + "\"layers\":[{\"mediaType\":\"" + BUNDLE_TYPE + "\",\"digest\":\"" + layer + "\",\"size\":" + bundle.length + "}],"
        + "\"subject\":{\"mediaType\":\"" + Manifest.OCI_MANIFEST + "\",\"digest\":\"" + IMAGE + "\",\"size\":100}}";
    Digest m = b.blob(Manifest.OCI_MANIFEST, manifest.getBytes(StandardCharsets.UTF_8));
    b.referrer(IMAGE, m, BUNDLE_TYPE, Map.of("dev.sigstore.bundle.predicateType", "https://cosign.sigstore.dev/attestation/v1"));
    store.commit(b.subject(REPO, IMAGE));
  }

  private static ImageVerification verify(Digest image, IdentityPolicy identity, String predicateType) {
    // The certificate lived ten minutes in 2025: the clock is the log's integrated time, checked
    // against the certificate by the verifier itself.
    return verify(image, VerificationPolicy.forIdentity(identity), predicateType);
  }

  private static ImageVerification verify(Digest image, VerificationPolicy policy, String predicateType) {
    return new ImageVerifier(new EvidenceImageSource(store, REPO), new ImageVerifier.Options(policy, root, false))
        .verifyAttestations(image, Optional.ofNullable(predicateType));
  }

  @Test
  void theRightIdentity_passes_withThePredicateReturned() {
    ImageVerification v = verify(IMAGE, IdentityPolicy.exact("cody@soyland.com", ISSUER),
        "https://cosign.sigstore.dev/attestation/v1");
    assertThat(v.verdict().allowed()).as(v.verdict().toString()).isTrue();
    assertThat(v.signatures()).singleElement().satisfies(s ->
        assertThat(s.predicate().orElseThrow().path("Data").asText()).contains("foo"));
  }

  @Test
  void aSlowClock_isToleratedWithinTheSkewWindowOnly() {
    VerificationPolicy p = VerificationPolicy.forIdentity(IdentityPolicy.exact("cody@soyland.com", ISSUER));
    java.time.Instant logged = java.time.Instant.ofEpochSecond(1740770291L);
    assertThat(verify(IMAGE, p.at(logged.minusSeconds(30)), null).allowed()).isTrue();
    ImageVerification behind = verify(IMAGE, p.at(logged.minusSeconds(600)), null);
    assertThat(behind.allowed()).isFalse();
    assertThat(behind.verdict().toString()).contains("in the future");
    assertThat(verify(IMAGE, p.at(logged.minusSeconds(600)).withClockSkew(java.time.Duration.ofMinutes(15)), null)
        .allowed()).isTrue();
  }

  @Test
  void anotherIdentity_isDenied_namingTheCertificateCheck() {
    ImageVerification v = verify(IMAGE, IdentityPolicy.exact("someone@else.example", ISSUER), null);
    assertThat(v.verdict().allowed()).isFalse();
    assertThat(v.verdict().toString()).contains("someone@else.example");
  }

  @Test
  void anotherPredicateType_isDenied() {
    ImageVerification v = verify(IMAGE, IdentityPolicy.exact("cody@soyland.com", ISSUER), "https://slsa.dev/provenance/v1");
    assertThat(v.verdict().allowed()).isFalse();
  }

  @Test
  void anImageWithoutStoredEvidence_isDenied() {
    Digest other = Digest.of("other image".getBytes(StandardCharsets.UTF_8));
    ImageVerification v = verify(other, IdentityPolicy.exact("cody@soyland.com", ISSUER), null);
    assertThat(v.verdict().allowed()).isFalse();
    assertThat(v.verdict().toString()).contains("no attestations found");
  }
}
