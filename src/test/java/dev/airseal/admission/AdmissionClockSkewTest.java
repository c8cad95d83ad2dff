package dev.airseal.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airseal.evidence.EvidenceImageSource;
import dev.airseal.oci.Digest;
import dev.airseal.oci.Manifest;
import dev.airseal.policy.KyvernoPolicies;
import dev.airseal.policy.PolicyDocument;
import dev.airseal.policy.Policies;
import dev.airseal.store.EvidenceBatch;
import dev.airseal.store.EvidenceStore;
import dev.airseal.testing.Vectors;
import dev.airseal.trust.TrustedRoot;
import dev.airseal.verify.VerificationPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The admission webhook's clock-skew window ({@code airseal.verify.clock-skew}): a log entry
 * integrated 30 s after the webhook's clock is admitted with the default window and denied with
 * none. Evidence: cosign's own keyless attestation fixture (a public-good Rekor entry).
 */
class AdmissionClockSkewTest {
  private static final Digest IMAGE =
      Digest.parse("sha256:732112270d7e59418a8c080b134b24cabd67d250d0d0147a97ed95ba5c280aa4");
  private static final String BUNDLE_TYPE = "application/vnd.dev.sigstore.bundle.v0.3+json";
  private static final String REPO = "127.0.0.1:60943/repo";
  // The fixture entry's integration time.
  private static final Instant LOGGED = Instant.ofEpochSecond(1740770291L);
  private static final String POLICY = """
      apiVersion: kyverno.io/v1
      kind: ClusterPolicy
      metadata:
        name: attested
      spec:
        validationFailureAction: Enforce
        rules:
        - name: keyless-attestation
          match:
            any:
            - resources:
                kinds: [Pod]
          verifyImages:
          - imageReferences: ["127.0.0.1:60943/repo*"]
            mutateDigest: false
            attestations:
            - type: https://cosign.sigstore.dev/attestation/v1
              attestors:
              - entries:
                - keyless:
                    subject: cody@soyland.com
                    issuer: https://github.com/login/oauth
      """;
  private static EvidenceStore store;
  private static TrustedRoot root;
  private static Policies policies;

  @BeforeAll
  static void load() throws Exception {
    Path dir = Vectors.dir("cosign").resolve("testdata/pkg/cosign/testdata");
    byte[] bundle = Files.readAllBytes(dir.resolve("oci-attestation.sigstore.json"));
    root = TrustedRoot.read(dir.resolve("trusted_root_pgi.json"));
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    Flyway.configure().dataSource(ds).load().migrate();
    store = new EvidenceStore(ds);
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
    policies = KyvernoPolicies.load(List.of(new PolicyDocument("attested.yaml", "test", POLICY)));
  }

  private static Decision decide(Instant webhookClock, Duration skew) {
    EvidenceReader reader = new EvidenceReader(store, i -> new EvidenceImageSource(store, i.context()), Optional.empty(),
        store::commit, Executors.newSingleThreadExecutor());
    AdmissionController c = new AdmissionController(() -> policies, reader, () -> new TrustSnapshot(1, root),
        new VerdictCache(10), Duration.ofSeconds(5), Clock.fixed(webhookClock, ZoneOffset.UTC), skew);
    var pod = Reviews.pod("p", REPO + "@" + IMAGE);
    try {
      return c.decide(AdmissionReviews.parse(Reviews.bytes(Reviews.review("CREATE", "default", pod, null))), false);
    } catch (AdmissionReviewException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void anEntryThirtySecondsAhead_isAdmittedWithTheDefaultSkew_andDeniedWithNone() {
    Decision withDefault = decide(LOGGED.minusSeconds(30), VerificationPolicy.DEFAULT_CLOCK_SKEW);
    assertThat(withDefault.allowed()).as(withDefault.message()).isTrue();
    Decision none = decide(LOGGED.minusSeconds(30), Duration.ZERO);
    assertThat(none.allowed()).isFalse();
    assertThat(none.message()).contains("in the future");
  }

  @Test
  void anEntryBeyondTheWindow_isDeniedWithTheDefault() {
    Decision d = decide(LOGGED.minusSeconds(600), VerificationPolicy.DEFAULT_CLOCK_SKEW);
    assertThat(d.allowed()).isFalse();
    assertThat(d.message()).contains("in the future");
  }
}
