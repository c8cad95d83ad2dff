package dev.airseal.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airseal.testing.Tally;
import dev.airseal.testing.Vectors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every YAML file under the kyverno-policies vectors either loads or is refused at a named field
 * path; which, per file, is fixed here and listed in docs/policies.md.
 */
class KyvernoPolicyVectorsTest {
  private static final String LOADS = "";
  /** File → "" (loads) or the path the refusal must name. */
  static final Map<String, String> EXPECTED = new TreeMap<>(Map.ofEntries(
      Map.entry("flux/verify-flux-images/verify-flux-images.yaml", LOADS),
      Map.entry("flux/verify-flux-images/.chainsaw-test/policy-ready.yaml", "spec"),
      Map.entry("flux/verify-flux-images/.chainsaw-test/pod-ghcr-helm-controller.yaml", "apiVersion"),
      Map.entry("flux/verify-flux-images/.chainsaw-test/pod-ghcr-image-automation-controller.yaml", "apiVersion"),
      Map.entry("flux/verify-flux-images/.chainsaw-test/pod-ghcr-image-reflector-controller.yaml", "apiVersion"),
      Map.entry("flux/verify-flux-images/.chainsaw-test/pod-ghcr-kustomize-controller.yaml", "apiVersion"),
      Map.entry("flux/verify-flux-images/.chainsaw-test/pod-ghcr-notification-controller.yaml", "apiVersion"),
      Map.entry("flux/verify-flux-images/.chainsaw-test/pod-ghcr-source-controller.yaml", "apiVersion"),
      Map.entry("other/require-vulnerability-scan/require-vulnerability-scan.yaml", LOADS),
      Map.entry("other/verify-image/verify-image.yaml", LOADS),
      Map.entry("other/verify-image-cve-2022-42889/verify-image-cve-2022-42889.yaml", LOADS),
      Map.entry("other/verify-image-gcpkms/verify-image-gcpkms.yaml", LOADS),
      Map.entry("other/verify-image-slsa/verify-image-slsa.yaml", LOADS),
      Map.entry("other/verify-image-with-multi-keys/verify-image-with-multi-keys.yaml", "spec.rules[0].context"),
      Map.entry("other/verify-sbom-cyclonedx/verify-sbom-cyclonedx.yaml", LOADS),
      Map.entry("tekton/verify-tekton-pipeline-bundle-signatures/verify-tekton-pipeline-bundle-signatures.yaml",
          "spec.rules[0].imageExtractors"),
      Map.entry("tekton/verify-tekton-taskrun-signatures/verify-tekton-taskrun-signatures.yaml",
          "spec.rules[0].imageExtractors"),
      Map.entry("tekton/verify-tekton-taskrun-vuln-scan/verify-tekton-taskrun-vuln-scan.yaml",
          "spec.rules[0].imageExtractors")));
  private static final Tally TALLY = new Tally("kyverno-policies");

  static Stream<String> files() throws IOException {
    Path dir = Vectors.dir("kyverno-policies");
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().endsWith(".yaml")).map(p -> dir.relativize(p).toString()).sorted().toList()
          .stream();
    }
  }

  @AfterAll
  static void tally() {
    TALLY.print();
  }

  @Test
  void everyVectorFileHasAnExpectation() throws IOException {
    assertThat(files().toList()).containsExactlyInAnyOrderElementsOf(EXPECTED.keySet());
  }

  @ParameterizedTest
  @MethodSource("files")
  void load_acceptsOrRefusesWithThePath(String file) {
    String content = Vectors.text(Vectors.dir("kyverno-policies").resolve(file));
    String expected = EXPECTED.get(file);
    assertThat(expected).as("expectation for " + file).isNotNull();
    List<PolicyDocument> docs = List.of(new PolicyDocument(file, "vectors", content));
    if (expected.isEmpty()) {
      try {
        Policies p = KyvernoPolicies.load(docs);
        assertThat(p.names()).hasSize(1);
        TALLY.passed();
      } catch (PolicyException e) {
        throw new AssertionError(file + " should load: " + e.getMessage(), e);
      }
    } else {
      assertThatThrownBy(() -> KyvernoPolicies.load(docs))
          .isInstanceOfSatisfying(PolicyException.class, e -> {
            System.out.println("refused " + e.getMessage());
            assertThat(e.document()).isEqualTo(file);
            assertThat(e.path()).isEqualTo(expected);
          });
      TALLY.rejected();
    }
  }
}
