package dev.airseal.verify.x509;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airseal.testing.Tally;
import dev.airseal.testing.Vectors;
import dev.airseal.trust.TrustedRoot;
import dev.airseal.verify.VerificationException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The certificate layer of the client suites' bundles, with the trust root, identity and verdict
 * their READMEs give (identity null: the upstream test disables identity checks).
 */
class ReadmeBundlesCertificatesTest {
  private static final Tally TALLY = new Tally("client bundles certificate layer");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PROD = "sigstore-public-good-trust/production/trusted_root.json";
  private static final String STAGING = "sigstore-public-good-trust/staging/trusted_root.json";
  private static final String GO_GOOD = "sigstore-go/pkg/testing/data/trusted-roots/public-good.json";
  private static final String JS_RELEASE =
      "https://github.com/sigstore/sigstore-js/.github/workflows/release.yml@refs/heads/main";
  private static final String GITHUB = "https://token.actions.githubusercontent.com";

  record Case(String bundle, String root, String san, String issuer, int scts, String failure) {
    @Override
    public String toString() {
      return bundle + (failure == null ? "" : " (fails: " + failure + ")");
    }
  }

  static Stream<Arguments> cases() {
    String java = "sigstore-java/resources/samples/bundles/";
    String py = "sigstore-python/assets/";
    return Stream.of(
            new Case(java + "bundle.sigstore", PROD, "appu@google.com", "https://accounts.google.com", 1, null),
            new Case(java + "bundle.v1.sigstore", PROD, null, null, 1, null),
            new Case(java + "bundle.v2.sigstore", PROD, null, null, 1, null),
            new Case(java + "bundle.v3.sigstore", PROD, null, null, 1, null),
            new Case(java + "bundle.dsse.sigstore", PROD, null, null, 1, null),
            new Case(java + "bundle-with-expired-cert.sigstore", PROD, null, null, 1, "not valid at"),
            new Case(java + "github-private-no-tlog/attestation.sigstore.json", "github-jsonl",
                "https://github.com/neverendingsupport/slsa-attestations/.github/workflows/attest.yml"
                    + "@9f6d9dc1bfc02986955721eb15f89ad618f1cedb", GITHUB, 0, null),
            new Case(java + "github-private-no-tlog/attestation.sigstore.json", "github-jsonl", null,
                null, 1, "no embedded SCTs"),
            new Case(py + "bundle.txt.sigstore", STAGING, null, null, 1, null),
            new Case(py + "bundle_v3.txt.sigstore", STAGING, null, null, 1, null),
            new Case(py + "bundle_v3_alt.txt.sigstore", STAGING, null, null, 1, null),
            new Case(py + "staging-rekor-v2.txt.sigstore.json", STAGING, null, null, 1, null),
            new Case(py + "bundle.txt.sigstore", PROD, null, null, 1, "no certificate authority"),
            new Case("sigstore-go/pkg/testing/data/bundles/othername.sigstore.json",
                "sigstore-go/pkg/testing/data/trusted-roots/scaffolding.json", "foo!oidc.local",
                "http://oidc.local:8080", 1, null),
            new Case("sigstore-go/pkg/testing/data/bundles/othername.sigstore.json",
                "sigstore-go/pkg/testing/data/trusted-roots/scaffolding.json", "foo@oidc.local",
                "http://oidc.local:8080", 1, "is not \"foo@oidc.local\""),
            new Case("sigstore-go/pkg/testing/data/bundles/sigstore.js@2.0.0-provenance.sigstore.json",
                GO_GOOD, JS_RELEASE, GITHUB, 1, null),
            // sigstore-go's docs verify this v0.1 bundle, whose chain ships the Fulcio root; the
            // conformance suite (bundle-with-root-cert_fail) says clients must reject exactly that.
            // We follow the conformance suite.
            new Case("sigstore-go/examples/bundle-provenance.json", GO_GOOD, JS_RELEASE, GITHUB, 1,
                "self-signed root"))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void certificateLayer(Case c) throws Exception {
    if (c.failure() == null) {
      run(c);
      TALLY.passed();
      return;
    }
    assertThatThrownBy(() -> run(c))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining(c.failure());
    TALLY.rejected();
  }

  private static void run(Case c) throws Exception {
    Path vectors = Vectors.dir(c.bundle().substring(0, c.bundle().indexOf('/'))).getParent();
    JsonNode bundle = JSON.readTree(vectors.resolve(c.bundle()).toFile());
    TrustedRoot root = c.root().equals("github-jsonl") ? githubRoot(vectors) : TrustedRoot.read(vectors.resolve(c.root()));
    List<X509Certificate> certs = ConformanceCertificatesTest.certificates(bundle);
    List<Instant> times = ConformanceCertificatesTest.times(bundle);
    assertThat(times).isNotEmpty();
    VerifiedChain chain = null;
    for (Instant at : times) {
      chain = CertificateChains.verifyChain(certs.get(0), certs.subList(1, certs.size()), root, at);
    }
    Scts.verify(certs.get(0), chain.issuer(), root, c.scts());
    if (c.san() != null) {
      IdentityPolicy.exact(c.san(), c.issuer()).check(FulcioIdentity.of(certs.get(0)));
    }
  }

  /** GitHub's own Sigstore: the line of trusted_root.jsonl that names fulcio.githubapp.com. */
  private static TrustedRoot githubRoot(Path vectors) throws Exception {
    Path jsonl = vectors.resolve(
        "sigstore-java/resources/samples/bundles/github-private-no-tlog/trusted_root.jsonl");
    for (String line : Files.readAllLines(jsonl)) {
      if (line.contains("fulcio.githubapp.com")) {
        return TrustedRoot.parse(line.getBytes(StandardCharsets.UTF_8));
      }
    }
    throw new AssertionError("no GitHub root in " + jsonl);
  }

  @AfterAll
  static void tally() {
    TALLY.print();
  }
}
