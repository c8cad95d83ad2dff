package dev.airseal.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which checks a request and an image select: match, exclude, autogen, namespaces, image patterns. */
class KyvernoMatchingTest {
  private static final String KEY = """
      -----BEGIN PUBLIC KEY-----
      MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE8nXRh950IZbRj8Ra/N9sbqOPZrfM
      5/KAQN0/KjHcorm/J5yctVd7iEcnessRQjU917hmKO6JWVGHpDguIyakZA==
      -----END PUBLIC KEY-----
      """;

  private static String policy(String kind, String meta, String match, String images) {
    return "apiVersion: kyverno.io/v1\nkind: " + kind + "\nmetadata:\n" + meta + "\nspec:\n  rules:\n  - name: r\n"
        + match + "\n    verifyImages:\n    - imageReferences: " + images + "\n      attestors:\n      - entries:\n"
        + "        - keys:\n            publicKeys: |\n" + KEY.indent(14);
  }

  private static Policies load(String yaml) throws PolicyException {
    return KyvernoPolicies.load(List.of(new PolicyDocument("p.yaml", "test", yaml)));
  }

  private static AdmissionContext req(String op, String kind, String ns, Map<String, String> labels,
      Map<String, String> nsLabels) {
    return new AdmissionContext(op, kind, ns, "obj", labels, nsLabels);
  }

  private static final String PODS = "    match:\n      any:\n      - resources:\n          kinds: [Pod]";

  @Test
  void imageReferences_useKyvernoNormalisationAndWildcards() throws Exception {
    Policies p = load(policy("ClusterPolicy", "  name: c", PODS, "[\"docker.io/nginx*\", \"ghcr.io/a/?pp:*\"]"));
    AdmissionContext r = req("CREATE", "Pod", "default", Map.of(), Map.of());
    assertThat(p.checksFor(r, "nginx")).hasSize(1);
    assertThat(p.checksFor(r, "nginx:1.25@sha256:" + "a".repeat(64))).hasSize(1);
    assertThat(p.checksFor(r, "ghcr.io/a/app:v1")).hasSize(1);
    assertThat(p.checksFor(r, "ghcr.io/a/apps:v1")).isEmpty();
    assertThat(p.checksFor(r, "quay.io/nginx")).isEmpty();
    assertThat(KyvernoImages.normalize("nginx")).isEqualTo("docker.io/nginx:latest");
    assertThat(KyvernoImages.normalize("localhost:5000/a@sha256:" + "b".repeat(64)))
        .isEqualTo("localhost:5000/a@sha256:" + "b".repeat(64));
    assertThat(KyvernoImages.normalize("myorg/app:1")).isEqualTo("docker.io/myorg/app:1");
  }

  @Test
  void skipImageReferences_winOverImageReferences() throws Exception {
    String yaml = policy("ClusterPolicy", "  name: c", PODS, "[\"ghcr.io/*\"]")
        .replace("      attestors:", "      skipImageReferences: [\"ghcr.io/trusted/*\"]\n      attestors:");
    Policies p = load(yaml);
    AdmissionContext r = req("CREATE", "Pod", "default", Map.of(), Map.of());
    assertThat(p.checksFor(r, "ghcr.io/other/x:1")).hasSize(1);
    assertThat(p.checksFor(r, "ghcr.io/trusted/x:1")).isEmpty();
  }

  @Test
  void podRules_coverPodControllers_unlessAutogenIsOff() throws Exception {
    Policies p = load(policy("ClusterPolicy", "  name: c", PODS, "[\"*\"]"));
    for (String kind : List.of("Pod", "Deployment", "CronJob", "ReplicationController")) {
      assertThat(p.checksFor(req("CREATE", kind, "ns", Map.of(), Map.of()), "x")).as(kind).hasSize(1);
    }
    assertThat(p.checksFor(req("CREATE", "Service", "ns", Map.of(), Map.of()), "x")).isEmpty();
    Policies off = load(policy("ClusterPolicy",
        "  name: c\n  annotations:\n    pod-policies.kyverno.io/autogen-controllers: none", PODS, "[\"*\"]"));
    assertThat(off.checksFor(req("CREATE", "Deployment", "ns", Map.of(), Map.of()), "x")).isEmpty();
    Policies some = load(policy("ClusterPolicy",
        "  name: c\n  annotations:\n    pod-policies.kyverno.io/autogen-controllers: Deployment,Job", PODS, "[\"*\"]"));
    assertThat(some.checksFor(req("CREATE", "Job", "ns", Map.of(), Map.of()), "x")).hasSize(1);
    assertThat(some.checksFor(req("CREATE", "StatefulSet", "ns", Map.of(), Map.of()), "x")).isEmpty();
  }

  @Test
  void aSelectorTurnsAutogenOff_asInKyverno() throws Exception {
    String match = "    match:\n      any:\n      - resources:\n          kinds: [Pod]\n"
        + "          selector:\n            matchLabels:\n              app: web*";
    Policies p = load(policy("ClusterPolicy", "  name: c", match, "[\"*\"]"));
    assertThat(p.checksFor(req("CREATE", "Pod", "ns", Map.of("app", "web-1"), Map.of()), "x")).hasSize(1);
    assertThat(p.checksFor(req("CREATE", "Pod", "ns", Map.of("app", "db"), Map.of()), "x")).isEmpty();
    assertThat(p.checksFor(req("CREATE", "Deployment", "ns", Map.of("app", "web-1"), Map.of()), "x")).isEmpty();
  }

  @Test
  void exclude_namespacesAndNamespaceSelector_andOperations() throws Exception {
    String match = "    match:\n      all:\n      - resources:\n          kinds: [apps/v1/Deployment, v1/Pod]\n"
        + "          operations: [CREATE]\n"
        + "          namespaceSelector:\n            matchExpressions:\n            - key: tier\n"
        + "              operator: In\n              values: [prod, staging]\n"
        + "    exclude:\n      any:\n      - resources:\n          namespaces: [kube-*]";
    Policies p = load(policy("ClusterPolicy", "  name: c", match, "[\"*\"]"));
    Map<String, String> prod = Map.of("tier", "prod");
    assertThat(p.checksFor(req("CREATE", "Deployment", "shop", Map.of(), prod), "x")).hasSize(1);
    assertThat(p.checksFor(req("UPDATE", "Deployment", "shop", Map.of(), prod), "x")).isEmpty();
    assertThat(p.checksFor(req("CREATE", "Deployment", "shop", Map.of(), Map.of("tier", "dev")), "x")).isEmpty();
    assertThat(p.checksFor(req("CREATE", "Deployment", "kube-system", Map.of(), prod), "x")).isEmpty();
    assertThat(p.checksFor(req("DELETE", "Pod", "shop", Map.of(), prod), "x")).isEmpty();
  }

  @Test
  void legacyResourcesForm_andNamespacedPolicyAppliesOnlyInItsNamespace() throws Exception {
    String match = "    match:\n      resources:\n        kinds: [Pod]\n        names: [\"web-*\"]";
    Policies p = load(policy("Policy", "  name: n\n  namespace: team-a", match, "[\"*\"]"));
    assertThat(p.names()).containsExactly("team-a/n");
    AdmissionContext inA = new AdmissionContext("CREATE", "Pod", "team-a", "web-1", Map.of(), Map.of());
    AdmissionContext inB = new AdmissionContext("CREATE", "Pod", "team-b", "web-1", Map.of(), Map.of());
    AdmissionContext other = new AdmissionContext("CREATE", "Pod", "team-a", "db-1", Map.of(), Map.of());
    List<ImageCheck> checks = p.checksFor(inA, "x");
    assertThat(checks).hasSize(1);
    assertThat(checks.get(0).policy()).isEqualTo("team-a/n");
    assertThat(checks.get(0).rule()).isEqualTo("r");
    assertThat(p.checksFor(inB, "x")).isEmpty();
    assertThat(p.checksFor(other, "x")).isEmpty();
  }

  @Test
  void defaultsAndSettings_reachTheCheck() throws Exception {
    String yaml = policy("ClusterPolicy", "  name: c", PODS, "[\"*\"]")
        .replace("spec:\n", "spec:\n  validationFailureAction: enforce\n  webhookTimeoutSeconds: 7\n"
            + "  failurePolicy: Ignore\n  background: false\n");
    ImageCheck c = load(yaml).checksFor(req("CREATE", "Pod", "ns", Map.of(), Map.of()), "x").get(0);
    assertThat(c.enforce()).isTrue();
    assertThat(c.timeoutSeconds()).isEqualTo(7);
    assertThat(c.failOpen()).isTrue();
    assertThat(c.mutateDigest()).isTrue();
    assertThat(c.verifyDigest()).isTrue();
    assertThat(c.required()).isTrue();
    ImageCheck d = load(policy("ClusterPolicy", "  name: c", PODS, "[\"*\"]")
        .replace("      attestors:", "      mutateDigest: false\n      verifyDigest: false\n      required: false\n"
            + "      failureAction: Enforce\n      attestors:"))
        .checksFor(req("CREATE", "Pod", "ns", Map.of(), Map.of()), "x").get(0);
    assertThat(d.enforce()).isTrue();
    assertThat(d.timeoutSeconds()).isEqualTo(10);
    assertThat(d.failOpen()).isFalse();
    assertThat(d.mutateDigest()).isFalse();
    assertThat(d.verifyDigest()).isFalse();
    assertThat(d.required()).isFalse();
  }

  @Test
  void versionChangesWithContent_andEmptyListHasNoChecks() throws Exception {
    String a = policy("ClusterPolicy", "  name: c", PODS, "[\"*\"]");
    Policies p1 = load(a);
    Policies p2 = load(a.replace("[\"*\"]", "[\"ghcr.io/*\"]"));
    assertThat(p1.version()).isNotEqualTo(p2.version()).startsWith("sha256:");
    assertThat(load(a).version()).isEqualTo(p1.version());
    Policies none = KyvernoPolicies.load(List.of());
    assertThat(none.names()).isEmpty();
    assertThat(none.checksFor(req("CREATE", "Pod", "ns", Map.of(), Map.of()), "x")).isEmpty();
  }

  @Test
  void oneBadDocumentRefusesTheWholeSet() {
    String good = policy("ClusterPolicy", "  name: c", PODS, "[\"*\"]");
    String bad = good.replace("name: c", "name: d").replace("      attestors:", "      type: Notary\n      attestors:");
    assertThatThrownBy(() -> KyvernoPolicies.load(List.of(new PolicyDocument("good.yaml", "t", good),
        new PolicyDocument("bad.yaml", "t", bad))))
        .isInstanceOfSatisfying(PolicyException.class, e -> {
          assertThat(e.document()).isEqualTo("bad.yaml");
          assertThat(e.path()).isEqualTo("spec.rules[0].verifyImages[0].type");
        });
  }
}
