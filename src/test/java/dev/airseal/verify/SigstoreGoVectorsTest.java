package dev.airseal.verify;

import dev.airseal.log.Hex;
import dev.airseal.testing.Vectors;
import dev.airseal.trust.TrustedRoot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** sigstore-go's bundles (pkg/verify tests and examples), expectations from its README. */
class SigstoreGoVectorsTest {
  static final Map<String, String> KNOWN_GAPS = Map.of();
  private static final ExpectedVerdicts EXPECTED =
      new ExpectedVerdicts("sigstore-go bundles", KNOWN_GAPS);
  private static final String GITHUB = "https://token.actions.githubusercontent.com";
  private static final String SIGSTORE_JS =
      "https://github.com/sigstore/sigstore-js/.github/workflows/release.yml@refs/heads/main";

  static List<BundleCase> cases() throws Exception {
    Path d = Vectors.dir("sigstore-go/pkg/testing/data");
    Path ex = Vectors.dir("sigstore-go/examples");
    BundleCase.RootSource publicGood = () -> TrustedRoot.read(d.resolve("trusted-roots/public-good.json"));
    BundleCase.RootSource scaffolding = () -> TrustedRoot.read(d.resolve("trusted-roots/scaffolding.json"));
    Artifact othername =
        Artifact.ofSha256(Hex.decode("bc103b4a84971ef6459b294a2b98568a2bfb72cded09d4acd1e16366a401f95b"));
    return List.of(
        // DSSE bundles verified without an artifact: sigstore-go's tests check the statement only.
        new BundleCase(
            "sigstore.js@2.0.0-provenance",
            d.resolve("bundles/sigstore.js@2.0.0-provenance.sigstore.json"),
            null,
            TestPolicies.identity(SIGSTORE_JS, GITHUB),
            publicGood,
            true),
        new BundleCase(
            "dsse-2sigs_fail",
            d.resolve("bundles/dsse-2sigs.sigstore.json"),
            null,
            TestPolicies.anyIdentity(),
            publicGood,
            false),
        new BundleCase(
            "othername (foo!oidc.local)",
            d.resolve("bundles/othername.sigstore.json"),
            othername,
            TestPolicies.identity("foo!oidc.local", "http://oidc.local:8080"),
            scaffolding,
            true),
        new BundleCase(
            "othername (foo@oidc.local)_fail",
            d.resolve("bundles/othername.sigstore.json"),
            othername,
            TestPolicies.identity("foo@oidc.local", "http://oidc.local:8080"),
            scaffolding,
            false),
        new BundleCase(
            "public-key-validity_fail",
            d.resolve("bundles/public-key-validity.sigstore.json"),
            Artifact.ofBytes("test content".getBytes(StandardCharsets.UTF_8)),
            TestPolicies.key(d.resolve("public-keys/public-key-validity.pem")),
            () -> TrustedRoot.read(d.resolve("trusted-roots/public-key-validity.json")),
            false),
        new BundleCase(
            "examples/bundle-provenance",
            ex.resolve("bundle-provenance.json"),
            null,
            TestPolicies.identity(SIGSTORE_JS, GITHUB),
            publicGood,
            true),
        new BundleCase(
            "examples/bundle-publish",
            ex.resolve("bundle-publish.json"),
            null,
            TestPolicies.key(ex.resolve("publish_key.pub")),
            publicGood,
            true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void bundle(BundleCase c) throws Exception {
    EXPECTED.check(c.name(), c.expectPass(), c.run());
  }

  @AfterAll
  static void tally() {
    EXPECTED.print();
  }
}
