package dev.airseal.verify;

import dev.airseal.log.Hex;
import dev.airseal.testing.Vectors;
import dev.airseal.trust.TrustedRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * sigstore-java's bundles (KeylessVerifierTest, BundleReaderTest): production or staging root as
 * its README says, artifact {@code samples/bundles/artifact.txt}.
 */
class SigstoreJavaVectorsTest {
  static final Map<String, String> KNOWN_GAPS =
      Map.of(
          "bundle.v1.no.inclusion.sigstore_fail",
          "v0.1 needs only the inclusion promise (protobuf-specs, sigstore-go); sigstore-java also"
              + " wants a proof. The suites disagree: sigstore-go's real npm provenance bundles"
              + " (v0.1, promise only) must pass, so this one cannot also fail");
  private static final ExpectedVerdicts EXPECTED =
      new ExpectedVerdicts("sigstore-java bundles", KNOWN_GAPS);

  static List<BundleCase> cases() throws IOException {
    Path b = Vectors.dir("sigstore-java/resources/samples/bundles");
    Path trust = Vectors.dir("sigstore-public-good-trust");
    BundleCase.RootSource prod = () -> TrustedRoot.read(trust.resolve("production/trusted_root.json"));
    BundleCase.RootSource staging = () -> TrustedRoot.read(trust.resolve("staging/trusted_root.json"));
    Artifact artifact = Artifact.ofBytes(Files.readAllBytes(b.resolve("artifact.txt")));
    VerificationPolicy any = TestPolicies.anyIdentity();
    List<BundleCase> cs = new ArrayList<>();
    for (String ok :
        List.of(
            "bundle.v1.sigstore",
            "bundle.v2.sigstore",
            "bundle.v3.sigstore",
            "bundle.dsse.sigstore",
            "bundle.dsse.rekor-v2.sigstore",
            "bundle-no-digest.sigstore",
            "PKIX_ECDSA_P256_SHA_256.sigstore.json",
            "PKIX_ECDSA_P384_SHA_384.sigstore.json",
            "PKIX_ECDSA_P521_SHA_512.sigstore.json",
            "PKIX_RSA_PKCS1V15_2048_SHA256.sigstore.json",
            "PKIX_RSA_PKCS1V15_3072_SHA256.sigstore.json",
            "PKIX_RSA_PKCS1V15_4096_SHA256.sigstore.json")) {
      cs.add(new BundleCase(ok, b.resolve(ok), artifact, any, prod, true));
    }
    cs.add(new BundleCase(
        "bundle.sigstore (appu@google.com)",
        b.resolve("bundle.sigstore"),
        artifact,
        TestPolicies.identity("appu@google.com", "https://accounts.google.com"),
        prod,
        true));
    cs.add(new BundleCase(
        "bundle.sigstore (other identity)_fail",
        b.resolve("bundle.sigstore"),
        artifact,
        TestPolicies.identity("someone@example.com", "https://accounts.google.com"),
        prod,
        false));
    cs.add(new BundleCase(
        "bundle.dsse.sigstore (artifact not a subject)_fail",
        b.resolve("bundle.dsse.sigstore"),
        Artifact.ofBytes("not the artifact".getBytes(StandardCharsets.UTF_8)),
        any,
        prod,
        false));
    for (String ok : List.of("bundle-with-rekor-v2-entry.sigstore", "bundle-with-timestamp.sigstore")) {
      cs.add(new BundleCase(ok, b.resolve(ok), artifact, any, staging, true));
    }
    for (String bad :
        List.of(
            "bundle-with-mismatched-set.sigstore",
            "bundle-with-wrong-tlog-entry.sigstore",
            "bundle-with-bad-checkpoint-signature.sigstore",
            "bundle-with-expired-cert.sigstore",
            "bundle.dsse.bad-signature.sigstore",
            "bundle.dsse.mismatched-envelope.sigstore",
            "bundle.dsse.mismatched-signature.sigstore",
            "bundle.v1.no.inclusion.sigstore",
            "bundle.v2.no.inclusion.sigstore",
            "bundle.v3.no.inclusion.sigstore",
            "bundle.v3_1.no.inclusion.sigstore")) {
      cs.add(new BundleCase(bad + "_fail", b.resolve(bad), artifact, any, prod, false));
    }
    for (String bad :
        List.of(
            "bundle.dsse.rekor-v2.bad-signature.sigstore",
            "bundle.dsse.rekor-v2.mismatched-envelope.sigstore",
            "bundle.dsse.rekor-v2.mismatched-signature.sigstore",
            "bundle.dsse.rekor-v2.bad-entry-type.sigstore")) {
      cs.add(new BundleCase(bad + "_fail", b.resolve(bad), artifact, any, staging, false));
    }
    // GitHub's private Sigstore has no transparency log; without an explicit opt-in (which this
    // verifier does not offer) the attestation must be refused.
    Path gh = b.resolve("github-private-no-tlog");
    cs.add(new BundleCase(
        "github-private-no-tlog_fail",
        gh.resolve("attestation.sigstore.json"),
        Artifact.ofSha256(Hex.decode("caa015ef69e9bc31a41322d6c71563ed9600c75bb988e4d639b1edc578580551")),
        TestPolicies.identity(
            "https://github.com/neverendingsupport/slsa-attestations/.github/workflows/attest.yml@9f6d9dc1bfc02986955721eb15f89ad618f1cedb",
            "https://token.actions.githubusercontent.com"),
        () -> TrustedRoot.parse(githubRoot(gh.resolve("trusted_root.jsonl"))),
        false));
    return cs;
  }

  private static byte[] githubRoot(Path jsonl) {
    try {
      return Files.readAllLines(jsonl).stream()
          .filter(l -> l.contains("fulcio.githubapp.com"))
          .findFirst()
          .orElseThrow()
          .getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
