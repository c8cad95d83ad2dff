package dev.airseal.policy;

import java.util.List;
import java.util.Set;

/**
 * A loaded {@code ClusterPolicy} or {@code Policy}.
 *
 * @param namespace the namespace of a {@code Policy}, null for a {@code ClusterPolicy}
 * @param autogenKinds the Pod controllers its Pod rules also cover (Kyverno's autogen)
 */
record KyvernoPolicy(
    String name, String namespace, boolean admission, int timeoutSeconds, boolean failOpen,
    Set<String> autogenKinds, List<Rule> rules) {

  /** The name admission reports: {@code namespace/name} for a namespaced Policy, as Kyverno does. */
  String displayName() {
    return namespace == null ? name : namespace + "/" + name;
  }

  record Rule(String name, MatchBlock match, MatchBlock exclude, List<VerifyImages> verifyImages) {
    boolean selects(AdmissionContext r, Set<String> autogenKinds) {
      return match.matches(r, autogenKinds) && (exclude.isEmpty() || !exclude.matches(r, autogenKinds));
    }
  }

  /** One {@code verifyImages[]} entry. */
  record VerifyImages(
      List<String> imageReferences, List<String> skipImageReferences, List<AttestorSet> attestors,
      List<Attestation> attestations, boolean mutateDigest, boolean verifyDigest, boolean required,
      boolean enforce, List<String> notes) {
    boolean selects(String normalizedImage) {
      return imageReferences.stream().anyMatch(p -> Wildcards.match(p, normalizedImage))
          && skipImageReferences.stream().noneMatch(p -> Wildcards.match(p, normalizedImage));
    }
  }

  /** {@code attestations[]}: signed statements of one predicate type, with conditions on them. */
  record Attestation(String predicateType, List<AttestorSet> attestors, List<Conditions> conditions) {}
}
