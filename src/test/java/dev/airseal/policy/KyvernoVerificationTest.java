package dev.airseal.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airseal.oci.ImageReference;
import dev.airseal.signing.soft.SoftwareSigner;
import dev.airseal.testing.TestEntries;
import dev.airseal.trust.TrustedRoot;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Policies checked against images signed and attested with the project's own signing code: pass
 * and fail for signed, unsigned, wrong key, count, keyless identity, attestation missing and
 * conditions failing, with Kyverno-shaped messages.
 */
class KyvernoVerificationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final KeyPair KEY = TestEntries.p256();
  private static final KeyPair OTHER = TestEntries.p256();
  private static final TrustedRoot NO_LOGS =
      new TrustedRoot(TrustedRoot.MEDIA_TYPE_V01, List.of(), List.of(), List.of(), List.of());
  private static final AdmissionContext POD =
      new AdmissionContext("CREATE", "Pod", "default", "p", Map.of(), Map.of());
  private static final String GITHUB = "https://token.actions.githubusercontent.com";

  private static String indent(String s, int n) {
    return s.strip().lines().map(l -> " ".repeat(n) + l).reduce((a, b) -> a + "\n" + b).orElse("");
  }

  private static String policy(String verifyImages) {
    return """
        apiVersion: kyverno.io/v1
        kind: ClusterPolicy
        metadata:
          name: check
        spec:
          validationFailureAction: Enforce
          rules:
          - name: verify
            match:
              any:
              - resources:
                  kinds: [Pod]
            verifyImages:
        """ + indent(verifyImages, 4) + "\n";
  }

  private static String keys(KeyPair... keys) {
    StringBuilder pem = new StringBuilder();
    for (KeyPair k : keys) {
      pem.append(TestEntries.publicKeyPem(k).strip()).append("\n");
    }
    return "publicKeys: |\n" + indent(pem.toString(), 2) + "\nrekor:\n  url: https://rekor.sigstore.dev\n  ignoreTlog: true";
  }

  private static ImageCheck check(String yaml, String image) throws PolicyException {
    List<ImageCheck> checks = KyvernoPolicies.load(List.of(new PolicyDocument("p.yaml", "test", yaml)))
        .checksFor(POD, image);
    assertThat(checks).hasSize(1);
    return checks.get(0);
  }

  private static CheckResult run(String yaml, ImageReference image, SignedImages src, TrustedRoot root)
      throws PolicyException {
    return check(yaml, image.toString()).verify(image, image.digest(), src, root, Instant.now());
  }

  private static String keyRule(String imagePattern, String attestors) {
    return "- imageReferences: [\"" + imagePattern + "\"]\n  attestors:\n" + indent(attestors, 2);
  }

  @Test
  void keySigned_passes_andNamesTheIgnoredRekorUrl() throws Exception {
    ImageReference img = SignedImages.image("registry.site/app/web:1");
    SignedImages src = new SignedImages();
    src.sign(img, new SoftwareSigner(KEY), Map.of(), null);
    CheckResult r = run(policy(keyRule("registry.site/app/*", "- entries:\n  - keys:\n" + indent(keys(KEY), 6))),
        img, src, NO_LOGS);
    assertThat(r.passed()).as(r.toString()).isTrue();
    assertThat(r.message()).isEqualTo("verified image signatures for " + img);
    assertThat(r.digest()).contains(img.digest().toString());
    assertThat(r.details()).contains(
        "rekor.url https://rekor.sigstore.dev ignored: the site trust root's transparency logs are used");
  }

  @Test
  void unsigned_fails_noSignaturesFound() throws Exception {
    ImageReference img = SignedImages.image("registry.site/app/web:1");
    CheckResult r = run(policy(keyRule("registry.site/app/*", "- entries:\n  - keys:\n" + indent(keys(KEY), 6))),
        img, new SignedImages(), NO_LOGS);
    assertThat(r.passed()).isFalse();
    assertThat(r.message()).isEqualTo(
        "failed to verify image " + img + ": .attestors[0].entries[0].keys: no signatures found");
    assertThat(r.digest()).isEmpty();
  }

  @Test
  void wrongKey_fails_noMatchingSignatures() throws Exception {
    ImageReference img = SignedImages.image("registry.site/app/web:1");
    SignedImages src = new SignedImages();
    src.sign(img, new SoftwareSigner(OTHER), Map.of(), null);
    CheckResult r = run(policy(keyRule("registry.site/app/*", "- entries:\n  - keys:\n" + indent(keys(KEY), 6))),
        img, src, NO_LOGS);
    assertThat(r.passed()).isFalse();
    assertThat(r.message()).startsWith(
        "failed to verify image " + img + ": .attestors[0].entries[0].keys: no matching signatures: ");
  }

  @Test
  void withoutIgnoreTlog_aSignatureWithoutLogEntryFails() throws Exception {
    ImageReference img = SignedImages.image("registry.site/app/web:1");
    SignedImages src = new SignedImages();
    src.sign(img, new SoftwareSigner(KEY), Map.of(), null);
    String pem = indent(TestEntries.publicKeyPem(KEY), 8);
    CheckResult r = run(policy(keyRule("registry.site/*", "- entries:\n  - keys:\n      publicKeys: |\n"
        + pem)), img, src, NO_LOGS);
    assertThat(r.passed()).isFalse();
    assertThat(r.message()).contains("no matching signatures").contains("tlog");
  }

  @Test
  void keysInOnePem_areAllRequired_unlessCountSaysOtherwise() throws Exception {
    ImageReference img = SignedImages.image("registry.site/app/web:1");
    SignedImages src = new SignedImages();
    src.sign(img, new SoftwareSigner(KEY), Map.of(), null);
    String both = "- entries:\n  - keys:\n" + indent(keys(KEY, OTHER), 6);
    CheckResult r = run(policy(keyRule("registry.site/*", both)), img, src, NO_LOGS);
    assertThat(r.passed()).isFalse();
    assertThat(r.message()).contains(".attestors[0].entries[1].keys: no matching signatures")
        .doesNotContain("entries[0]");
    CheckResult one = run(policy(keyRule("registry.site/*", "- count: 1\n  entries:\n  - keys:\n"
        + indent(keys(OTHER, KEY), 6))), img, src, NO_LOGS);
    assertThat(one.passed()).as(one.toString()).isTrue();
    src.sign(img, new SoftwareSigner(OTHER), Map.of(), null);
    assertThat(run(policy(keyRule("registry.site/*", both)), img, src, NO_LOGS).passed()).isTrue();
  }

  @Test
  void signatureAnnotations_mustMatchThePayload() throws Exception {
    ImageReference img = SignedImages.image("registry.site/app/web:1");
    SignedImages src = new SignedImages();
    src.sign(img, new SoftwareSigner(KEY), Map.of("env", "prod"), null);
    String prod = "- entries:\n  - annotations:\n      env: prod\n    keys:\n" + indent(keys(KEY), 6);
    assertThat(run(policy(keyRule("registry.site/*", prod)), img, src, NO_LOGS).passed()).isTrue();
    CheckResult dev = run(policy(keyRule("registry.site/*", prod.replace("env: prod", "env: dev"))), img, src, NO_LOGS);
    assertThat(dev.passed()).isFalse();
    assertThat(dev.message()).endsWith(".attestors[0].entries[0].keys: annotation value for env does not match");
  }

  private static String keyless(String subject, String extra) {
    return "- entries:\n  - keyless:\n      subject: \"" + subject + "\"\n      issuer: " + GITHUB + "\n"
        + "      rekor:\n        ignoreTlog: true\n      ctlog:\n        ignoreSCT: true\n" + extra;
  }

  @Test
  void keyless_identityMatchesWithKyvernoWildcards_andMismatchFails() throws Exception {
    TestFulcio fulcio = new TestFulcio("fulcio");
    KeyPair leafKey = TestEntries.p256();
    X509Certificate cert = fulcio.leaf(leafKey, "https://github.com/acme/app/.github/workflows/rel.yml@refs/tags/v1",
        GITHUB, "push");
    ImageReference img = SignedImages.image("registry.site/app/web:1");
    SignedImages src = new SignedImages();
    src.sign(img, new SoftwareSigner(leafKey), Map.of(), cert);

    CheckResult ok = run(policy(keyRule("registry.site/*", keyless("https://github.com/acme/*", ""))), img, src,
        fulcio.root());
    assertThat(ok.passed()).as(ok.toString()).isTrue();
    CheckResult ext = run(policy(keyRule("registry.site/*", keyless("https://github.com/acme/*",
        "      additionalExtensions:\n        githubWorkflowTrigger: push\n"))), img, src, fulcio.root());
    assertThat(ext.passed()).as(ext.toString()).isTrue();

    CheckResult other = run(policy(keyRule("registry.site/*", keyless("https://github.com/evil/*", ""))), img, src,
        fulcio.root());
    assertThat(other.passed()).isFalse();
    assertThat(other.message()).contains(".attestors[0].entries[0].keyless: no matching signatures")
        .contains("https://github.com/acme/app/.github/workflows/rel.yml@refs/tags/v1");
    CheckResult trigger = run(policy(keyRule("registry.site/*", keyless("https://github.com/acme/*",
        "      additionalExtensions:\n        githubWorkflowTrigger: schedule\n"))), img, src, fulcio.root());
    assertThat(trigger.passed()).isFalse();
    assertThat(trigger.message()).contains("githubWorkflowTrigger");
  }

  @Test
  void keyless_rootsInThePolicyReplaceTheSiteCas() throws Exception {
    TestFulcio site = new TestFulcio("site");
    TestFulcio own = new TestFulcio("own");
    KeyPair leafKey = TestEntries.p256();
    X509Certificate cert = own.leaf(leafKey, "https://github.com/acme/app/w.yml@refs/heads/main", GITHUB, "push");
    ImageReference img = SignedImages.image("registry.site/app/web:1");
    SignedImages src = new SignedImages();
    src.sign(img, new SoftwareSigner(leafKey), Map.of(), cert);
    String rule = keyRule("registry.site/*", keyless("https://github.com/acme/*", ""));
    assertThat(run(policy(rule), img, src, site.root()).passed()).isFalse();
    String roots = "      roots: |\n" + indent(SignedImages.pem(own.ca), 8) + "\n";
    CheckResult r = run(policy(keyRule("registry.site/*", keyless("https://github.com/acme/*", roots))), img, src,
        site.root());
    assertThat(r.passed()).as(r.toString()).isTrue();
  }

  private static String attestation(String conditions) {
    return "- imageReferences: [\"registry.site/*\"]\n"
        + "  attestations:\n"
        + "  - predicateType: https://slsa.dev/provenance/v0.2\n"
        + "    attestors:\n"
        + "    - entries:\n"
        + "      - keys:\n" + indent(keys(KEY), 10) + "\n"
        + "    conditions:\n" + indent(conditions, 4);
  }

  private static JsonNode provenance(String builder) throws Exception {
    return JSON.readTree("{\"builder\":{\"id\":\"" + builder + "\"},\"buildType\":\"https://github.com/Attestations/"
        + "GitHubActionsWorkflow@v1\",\"materials\":[{\"uri\":\"git+https://github.com/acme/app\"}]}");
  }

  private static final String SLSA_CONDITIONS = """
      - all:
        - key: "{{ regex_match('^https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_container_slsa3.yml@refs/tags/v[0-9].[0-9].[0-9]$','{{ builder.id}}') }}"
          operator: Equals
          value: true
        - key: "{{ materials[].uri }}"
          operator: AnyIn
          value: ["git+https://github.com/acme/*"]
      """;

  @Test
  void attestation_conditionsHold_passes() throws Exception {
    ImageReference img = SignedImages.image("registry.site/app/web:1");
    SignedImages src = new SignedImages();
    src.attest(img, new SoftwareSigner(KEY), "https://slsa.dev/provenance/v0.2", provenance(
        "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_container_slsa3.yml"
            + "@refs/tags/v1.9.0"), null);
    CheckResult r = run(policy(attestation(SLSA_CONDITIONS)), img, src, NO_LOGS);
    assertThat(r.passed()).as(r.toString()).isTrue();
    assertThat(r.message()).isEqualTo("verified image attestations for " + img);
  }

  @Test
  void attestation_conditionFails_namesTheCondition() throws Exception {
    ImageReference img = SignedImages.image("registry.site/app/web:1");
    SignedImages src = new SignedImages();
    src.attest(img, new SoftwareSigner(KEY), "https://slsa.dev/provenance/v0.2",
        provenance("https://example.com/evil-builder"), null);
    CheckResult r = run(policy(attestation(SLSA_CONDITIONS)), img, src, NO_LOGS);
    assertThat(r.passed()).isFalse();
    assertThat(r.message()).startsWith("failed to verify image " + img
        + ": .attestations[0].attestors[0].entries[0].keys: attestation checks failed for " + img
        + " and predicate https://slsa.dev/provenance/v0.2: spec.rules[0].verifyImages[0].attestations[0]"
        + ".conditions[0].all[0]: ");
  }

  @Test
  void attestation_missingOrOfAnotherType_fails() throws Exception {
    ImageReference img = SignedImages.image("registry.site/app/web:1");
    SignedImages src = new SignedImages();
    CheckResult none = run(policy(attestation(SLSA_CONDITIONS)), img, src, NO_LOGS);
    assertThat(none.passed()).isFalse();
    assertThat(none.message()).endsWith(".attestations[0].attestors[0].entries[0].keys: no attestations found");
    src.attest(img, new SoftwareSigner(KEY), "https://cyclonedx.org/bom", JSON.readTree("{}"), null);
    CheckResult other = run(policy(attestation(SLSA_CONDITIONS)), img, src, NO_LOGS);
    assertThat(other.passed()).isFalse();
    assertThat(other.message()).contains("attestations not found for predicate type https://slsa.dev/provenance/v0.2");
  }

  @Test
  void attestationSignedByAnotherKey_fails() throws Exception {
    ImageReference img = SignedImages.image("registry.site/app/web:1");
    SignedImages src = new SignedImages();
    src.attest(img, new SoftwareSigner(OTHER), "https://slsa.dev/provenance/v0.2", provenance("x"), null);
    CheckResult r = run(policy(attestation("- all:\n  - key: \"{{ buildType }}\"\n    operator: NotEquals\n"
        + "    value: \"\"")), img, src, NO_LOGS);
    assertThat(r.passed()).isFalse();
    assertThat(r.message()).contains("attestations not found for predicate type");
  }

  @Test
  void kmsKeyOfAnUnreachableProvider_failsClosed() throws Exception {
    ImageReference img = SignedImages.image("registry.site/app/web:1");
    SignedImages src = new SignedImages();
    src.sign(img, new SoftwareSigner(KEY), Map.of(), null);
    CheckResult r = run(policy(keyRule("registry.site/*",
        "- entries:\n  - keys:\n      kms: gcpkms://projects/p/locations/l/keyRings/r/cryptoKeys/k/versions/1")),
        img, src, NO_LOGS);
    assertThat(r.passed()).isFalse();
    assertThat(r.message()).endsWith(".attestors[0].entries[0].keys: kms key gcpkms://projects/p/locations/l/"
        + "keyRings/r/cryptoKeys/k/versions/1 cannot be resolved offline (pkcs11: and awskms: keys can)");
  }

  @Test
  void rekorPubkeyNotInTheSiteRoot_failsClosed() throws Exception {
    ImageReference img = SignedImages.image("registry.site/app/web:1");
    SignedImages src = new SignedImages();
    src.sign(img, new SoftwareSigner(KEY), Map.of(), null);
    String rekorKey = indent(TestEntries.publicKeyPem(OTHER), 10);
    String pem = indent(TestEntries.publicKeyPem(KEY), 8);
    CheckResult r = run(policy(keyRule("registry.site/*", "- entries:\n  - keys:\n      publicKeys: |\n" + pem
        + "\n      rekor:\n        pubkey: |\n" + rekorKey)), img, src, NO_LOGS);
    assertThat(r.passed()).isFalse();
    assertThat(r.message()).endsWith("rekor.pubkey is not the key of a transparency log in the site trust root");
  }
}
