package dev.airseal.verify.x509;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airseal.testing.Vectors;
import dev.airseal.verify.VerificationException;
import java.security.cert.X509Certificate;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class IdentityPolicyTest {
  private static final String WORKFLOW =
      "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/"
          + ".github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
  private static final String GITHUB = "https://token.actions.githubusercontent.com";
  private static FulcioIdentity id;

  @BeforeAll
  static void load() throws Exception {
    var bundle = new ObjectMapper().readTree(Vectors.dir("sigstore-conformance")
        .resolve("assets/bundle-verify/happy-path-v0.3/bundle.sigstore.json").toFile());
    X509Certificate leaf = ConformanceCertificatesTest.certificates(bundle).get(0);
    id = FulcioIdentity.of(leaf);
  }

  @Test
  void of_readsSanIssuerAndWorkflowExtensions() {
    assertThat(id.subjectAlternativeName()).isEqualTo(WORKFLOW);
    assertThat(id.issuer()).isEqualTo(GITHUB);
    assertThat(id.extensions())
        .containsEntry("githubWorkflowRepository", "sigstore-conformance/extremely-dangerous-public-oidc-beacon")
        .containsEntry("sourceRepositoryRef", "refs/heads/main")
        .containsKey("buildSignerURI");
  }

  @Test
  void check_acceptsExactAndFullRegexp() throws Exception {
    IdentityPolicy.exact(WORKFLOW, GITHUB).check(id);
    new IdentityPolicy(null, "https://github\\.com/sigstore-conformance/.*", null,
        "https://token\\.actions\\.githubusercontent\\.com", Map.of()).check(id);
  }

  @Test
  void check_rejectsRegexpThatMatchesOnlyPart() {
    IdentityPolicy partial =
        new IdentityPolicy(null, "https://github\\.com/sigstore-conformance/", GITHUB, null, Map.of());
    assertThatThrownBy(() -> partial.check(id))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("does not match /https://github\\.com/sigstore-conformance//");
  }

  @Test
  void check_rejectsWrongIssuerNamingBoth() {
    assertThatThrownBy(() -> IdentityPolicy.exact(WORKFLOW, "https://accounts.google.com").check(id))
        .hasMessage("certificate issuer \"" + GITHUB + "\" is not \"https://accounts.google.com\"");
  }

  @Test
  void check_matchesExtensionsByNameOrOid() throws Exception {
    new IdentityPolicy(WORKFLOW, null, GITHUB, null,
        Map.of("1.3.6.1.4.1.57264.1.14", "refs/heads/main", "githubWorkflowTrigger",
            id.extensions().get("githubWorkflowTrigger"))).check(id);
    IdentityPolicy wrongRef = new IdentityPolicy(WORKFLOW, null, GITHUB, null,
        Map.of("sourceRepositoryRef", "refs/heads/evil"));
    assertThatThrownBy(() -> wrongRef.check(id))
        .hasMessage("certificate sourceRepositoryRef is \"refs/heads/main\", expected \"refs/heads/evil\"");
  }

  @Test
  void constructor_refusesPoliciesThatWouldAcceptAnyone() {
    assertThatThrownBy(() -> new IdentityPolicy(null, null, GITHUB, null, Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new IdentityPolicy(WORKFLOW, null, null, null, Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new IdentityPolicy(null, "(", GITHUB, null, Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new IdentityPolicy(WORKFLOW, null, GITHUB, null, Map.of("colour", "red")))
        .hasMessage("unknown Fulcio extension colour");
  }
}
