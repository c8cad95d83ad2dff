package dev.airseal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airseal.testing.Vectors;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * verify-blob and verify-blob-attestation on sigstore-conformance bundles: cosign's flags, exit 0
 * only on success, the failed check named on stderr.
 */
class VerifyBlobCommandTest {
  static final String IDENTITY =
      "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
  static final String ISSUER = "https://token.actions.githubusercontent.com";

  private static Path cases() {
    return Vectors.dir("sigstore-conformance/assets/bundle-verify");
  }

  private static String production() {
    return Vectors.dir("sigstore-public-good-trust").resolve("production/trusted_root.json").toString();
  }

  private static String bundle(String c) {
    return cases().resolve(c).resolve("bundle.sigstore.json").toString();
  }

  private static String a() {
    return cases().resolve("a.txt").toString();
  }

  private static CliRun blob(String... args) {
    return CliRun.of(new VerifyBlobCommand(), args);
  }

  private static CliRun attestation(String... args) {
    return CliRun.of(new VerifyBlobAttestationCommand(), args);
  }

  @Test
  void verifyBlob_acceptsKeylessBundleWithIdentity() {
    CliRun r = blob("--bundle", bundle("happy-path-v0.3"), "--certificate-identity", IDENTITY,
        "--certificate-oidc-issuer", ISSUER, "--trusted-root", production(), "--new-bundle-format", a());
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.err()).contains("Verified OK");
  }

  @Test
  void verifyBlob_acceptsIdentityAndIssuerRegexps() {
    CliRun r = blob("--bundle", bundle("happy-path-v0.2"),
        "--certificate-identity-regexp", "https://github\\.com/sigstore-conformance/.*",
        "--certificate-oidc-issuer-regexp", "https://token\\.actions\\.githubusercontent\\.com",
        "--trusted-root", production(), a());
    assertThat(r.exit()).as(r.toString()).isZero();
  }

  @Test
  void verifyBlob_refusesAnotherIdentity_namingIt() {
    CliRun r = blob("--bundle", bundle("happy-path-v0.3"), "--certificate-identity", "https://evil.example/",
        "--certificate-oidc-issuer", ISSUER, "--trusted-root", production(), a());
    assertThat(r.exit()).as(r.toString()).isEqualTo(1);
    assertThat(r.err()).contains("certificate.identity").contains("https://evil.example/");
  }

  @Test
  void verifyBlob_refusesIdentityRegexpThatMatchesOnlyPart() {
    CliRun r = blob("--bundle", bundle("happy-path-v0.3"), "--certificate-identity-regexp", "https://github\\.com/",
        "--certificate-oidc-issuer", ISSUER, "--trusted-root", production(), a());
    assertThat(r.exit()).as(r.toString()).isEqualTo(1);
  }

  @Test
  void verifyBlob_acceptsManagedKeyBundleWithKeyPub() {
    CliRun r = blob("--bundle", bundle("managed-key-happy-path"),
        "--key", cases().resolve("managed-key-happy-path/key.pub").toString(), "--trusted-root", production(), a());
    assertThat(r.exit()).as(r.toString()).isZero();
  }

  @Test
  void verifyBlob_refusesFailVector_withTheFailedCheck() {
    CliRun r = blob("--bundle", bundle("managed-key-wrong-key_fail"),
        "--key", cases().resolve("managed-key-wrong-key_fail/key.pub").toString(), "--trusted-root", production(), a());
    assertThat(r.exit()).as(r.toString()).isEqualTo(1);
    // Its key.pub holds a point off the curve: whether the key is refused when read or when the
    // signature is checked depends on which JCA provider answers first (tests register
    // BouncyCastle globally); either way the command fails and says why.
    assertThat(r.err()).matches("(?s)Error: (verification failed: content\\.signature|.*point).*");
  }

  @Test
  void verifyBlob_refusesAnotherFile() {
    CliRun r = blob("--bundle", bundle("happy-path-v0.3"), "--certificate-identity", IDENTITY,
        "--certificate-oidc-issuer", ISSUER, "--trusted-root", production(),
        cases().resolve("happy-path-v0.3/README").toString());
    assertThat(r.exit()).as(r.toString()).isEqualTo(1);
  }

  @Test
  void verifyBlob_printsTheVerdictAsJson() throws Exception {
    CliRun r = blob("--bundle", bundle("happy-path-v0.3"), "--certificate-identity", IDENTITY,
        "--certificate-oidc-issuer", ISSUER, "--trusted-root", production(), "--output", "json", a());
    assertThat(r.exit()).as(r.toString()).isZero();
    JsonNode v = new ObjectMapper().readTree(r.out());
    assertThat(v.path("verified").asBoolean()).isTrue();
    assertThat(v.path("decision").asText()).isEqualTo("ALLOW");
    assertThat(v.path("reasons").findValuesAsText("check")).contains("certificate.identity", "tlog.inclusionProof");

    CliRun bad = blob("--bundle", bundle("signature-mismatch_fail"), "--certificate-identity", IDENTITY,
        "--certificate-oidc-issuer", ISSUER, "--trusted-root", production(), "-o", "json", a());
    assertThat(bad.exit()).as(bad.toString()).isEqualTo(1);
    JsonNode d = new ObjectMapper().readTree(bad.out());
    assertThat(d.path("verified").asBoolean()).isFalse();
    assertThat(d.path("reasons").get(0).path("evidence").asText()).isNotEmpty();
  }

  @Test
  void verifyBlob_requiresATrustedRoot_sayingWhy() {
    CliRun r = blob("--bundle", bundle("happy-path-v0.3"), "--certificate-identity", IDENTITY,
        "--certificate-oidc-issuer", ISSUER, a());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("--trusted-root is required");
  }

  @Test
  void verifyBlob_refusesKeyWithIdentity_andIdentityWithoutIssuer() {
    CliRun both = blob("--bundle", bundle("managed-key-happy-path"),
        "--key", cases().resolve("managed-key-happy-path/key.pub").toString(),
        "--certificate-identity", IDENTITY, "--certificate-oidc-issuer", ISSUER, "--trusted-root", production(), a());
    assertThat(both.exit()).isEqualTo(1);
    assertThat(both.err()).contains("exclude each other");
    CliRun noIssuer = blob("--bundle", bundle("happy-path-v0.3"), "--certificate-identity", IDENTITY,
        "--trusted-root", production(), a());
    assertThat(noIssuer.exit()).isEqualTo(1);
    assertThat(noIssuer.err()).contains("--certificate-oidc-issuer");
  }

  @Test
  void verifyBlobAttestation_acceptsMatchingTypeByShorthandAndUri() {
    for (String type : new String[] {"slsaprovenance1", "https://slsa.dev/provenance/v1"}) {
      CliRun r = attestation("--bundle", bundle("happy-path-intoto-in-dsse-v3"), "--type", type,
          "--certificate-identity", IDENTITY, "--certificate-oidc-issuer", ISSUER, "--trusted-root", production(), a());
      assertThat(r.exit()).as(r.toString()).isZero();
    }
  }

  @Test
  void verifyBlobAttestation_refusesAnotherPredicateType_andTheDefaultCustom() {
    CliRun r = attestation("--bundle", bundle("happy-path-intoto-in-dsse-v3"), "--type", "cyclonedx",
        "--certificate-identity", IDENTITY, "--certificate-oidc-issuer", ISSUER, "--trusted-root", production(), a());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("content.predicateType").contains("https://slsa.dev/provenance/v1")
        .contains("https://cyclonedx.org/bom");
    CliRun dflt = attestation("--bundle", bundle("happy-path-intoto-in-dsse-v3"),
        "--certificate-identity", IDENTITY, "--certificate-oidc-issuer", ISSUER, "--trusted-root", production(), a());
    assertThat(dflt.exit()).isEqualTo(1);
  }

  @Test
  void verifyBlobAttestation_refusesFileThatIsNotTheSubject() {
    CliRun r = attestation("--bundle", bundle("happy-path-intoto-in-dsse-v3"), "--type", "slsaprovenance1",
        "--certificate-identity", IDENTITY, "--certificate-oidc-issuer", ISSUER, "--trusted-root", production(),
        cases().resolve("happy-path-intoto-in-dsse-v3/README").toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("content.subject");
  }

  @Test
  void verifyBlobAttestation_refusesMessageSignatureBundle_andFailVector() {
    CliRun ms = attestation("--bundle", bundle("happy-path-v0.3"), "--type", "slsaprovenance1",
        "--certificate-identity", IDENTITY, "--certificate-oidc-issuer", ISSUER, "--trusted-root", production(), a());
    assertThat(ms.exit()).isEqualTo(1);
    assertThat(ms.err()).contains("not an in-toto attestation");
    CliRun bad = attestation("--bundle", bundle("dsse-invalid-sig_fail"), "--type", "slsaprovenance1",
        "--certificate-identity", IDENTITY, "--certificate-oidc-issuer", ISSUER, "--trusted-root", production(), a());
    assertThat(bad.exit()).as(bad.toString()).isEqualTo(1);
  }

  @Test
  void verifyBlobAttestation_refusesUnknownTypeShorthand() {
    CliRun r = attestation("--bundle", bundle("happy-path-intoto-in-dsse-v3"), "--type", "nosuchtype",
        "--certificate-identity", IDENTITY, "--certificate-oidc-issuer", ISSUER, "--trusted-root", production(), a());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("unknown predicate type");
  }
}
