package dev.airseal.verify;

import dev.airseal.testing.Vectors;
import dev.airseal.trust.CertificateAuthority;
import dev.airseal.trust.TrustedRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * sigstore-python's bundles (test/unit/verify/test_verifier.py): made on the Sigstore staging
 * instance, verified offline against the staging root with identity checks disabled.
 */
class SigstorePythonVectorsTest {
  static final Map<String, String> KNOWN_GAPS = Map.of();
  private static final ExpectedVerdicts EXPECTED =
      new ExpectedVerdicts("sigstore-python bundles", KNOWN_GAPS);

  static List<BundleCase> cases() {
    Path a = Vectors.dir("sigstore-python/assets");
    Path staging = Vectors.dir("sigstore-public-good-trust").resolve("staging/trusted_root.json");
    BundleCase.RootSource root = () -> TrustedRoot.read(staging);
    BundleCase.RootSource withTsa = () -> withTsa(TrustedRoot.read(staging), a.resolve("tsa/ca.json"));
    BundleCase.RootSource noTsa = () -> withoutTsas(TrustedRoot.read(staging));
    List<BundleCase> cs = new ArrayList<>();
    for (String ok :
        List.of(
            "bundle.txt",
            "bundle_v3.txt",
            "bundle_v3_alt.txt",
            "staging-rekor-v2.txt",
            "integration/bundle_v3.txt")) {
      cs.add(c(ok, a.resolve(ok + bundleSuffix(a, ok)), a.resolve(ok), root, true));
    }
    // The DSSE statement's subject is not the .txt file next to it; upstream verifies the envelope
    // without an artifact.
    cs.add(new BundleCase(
        "a.dsse.staging-rekor-v2.txt",
        a.resolve("a.dsse.staging-rekor-v2.txt.sigstore.json"),
        null,
        TestPolicies.anyIdentity(),
        root,
        true));
    for (String bad :
        List.of(
            "bundle_cve_2022_36056.txt",
            "bundle_invalid_version.txt",
            "bundle_no_cert_v1.txt",
            "bundle_no_log_entry.txt",
            "bundle_no_checkpoint.txt",
            "bundle_v3_no_signed_time.txt")) {
      cs.add(c(bad + "_fail", a.resolve(bad + bundleSuffix(a, bad)), a.resolve(bad), root, false));
    }
    Path tsaArtifact = a.resolve("tsa/bundle.txt");
    cs.add(c("tsa/bundle.txt", a.resolve("tsa/bundle.txt.sigstore"), tsaArtifact, withTsa, true));
    cs.add(c("tsa/bundle.many_timestamp_fail", a.resolve("tsa/bundle.many_timestamp.sigstore"), tsaArtifact, withTsa, false));
    cs.add(c("tsa/bundle.duplicate_fail", a.resolve("tsa/bundle.duplicate.sigstore"), tsaArtifact, withTsa, false));
    cs.add(c("tsa/bundle.txt.late_timestamp_fail", a.resolve("tsa/bundle.txt.late_timestamp.sigstore"), tsaArtifact, withTsa, false));
    cs.add(c("tsa/bundle.txt-without-tsa-in-root_fail", a.resolve("tsa/bundle.txt.sigstore"), tsaArtifact, noTsa, false));
    return cs;
  }

  private static String bundleSuffix(Path dir, String artifact) {
    return Files.exists(dir.resolve(artifact + ".sigstore.json")) ? ".sigstore.json" : ".sigstore";
  }

  private static BundleCase c(String name, Path bundle, Path artifact, BundleCase.RootSource root, boolean pass) {
    try {
      return new BundleCase(
          name, bundle, Artifact.ofBytes(Files.readAllBytes(artifact)), TestPolicies.anyIdentity(), root, pass);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The staging root plus the test TSA, as upstream's tsa tests build it. */
  static TrustedRoot withTsa(TrustedRoot root, Path caJson) throws Exception {
    CertificateAuthority tsa = TrustedRoot.parseAuthority(Files.readAllBytes(caJson));
    List<CertificateAuthority> tsas = new ArrayList<>(root.timestampAuthorities());
    tsas.add(tsa);
    return new TrustedRoot(root.mediaType(), root.tlogs(), root.certificateAuthorities(), root.ctlogs(), tsas);
  }

  static TrustedRoot withoutTsas(TrustedRoot root) {
    return new TrustedRoot(
        root.mediaType(), root.tlogs(), root.certificateAuthorities(), root.ctlogs(), List.of());
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
