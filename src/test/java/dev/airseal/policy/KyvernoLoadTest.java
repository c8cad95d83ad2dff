package dev.airseal.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each unsupported or malformed field is refused with its path; nothing is half-applied. */
class KyvernoLoadTest {
  private static final String BASE = """
      apiVersion: kyverno.io/v1
      kind: ClusterPolicy
      metadata:
        name: base
      spec:
        validationFailureAction: Audit
        rules:
        - name: r
          match:
            any:
            - resources:
                kinds: [Pod]
          verifyImages:
          - imageReferences: ["*"]
            attestors:
            - entries:
              - keyless:
                  subject: s
                  issuer: i
            attestations:
            - predicateType: p
              attestors:
              - entries:
                - keyless:
                    subject: s
                    issuer: i
              conditions:
              - all:
                - key: "{{ a }}"
                  operator: Equals
                  value: b
      """;

  @ParameterizedTest
  @CsvSource(delimiterString = " => ", quoteCharacter = '~', value = {
      "validationFailureAction: Audit => validationFailureAction: Warn => spec.validationFailureAction",
      "  rules: =>   mutateExistingOnPolicyUpdate: true\\n  rules: => spec.mutateExistingOnPolicyUpdate",
      "  - name: r =>   - name: r\\n    validate: {} => spec.rules[0].validate",
      "  - name: r =>   - name: r\\n    mutate: {} => spec.rules[0].mutate",
      "  - name: r =>   - name: r\\n    preconditions: {} => spec.rules[0].preconditions",
      "kinds: [Pod] => kinds: [Pod/status.x] => spec.rules[0].match.any[0].resources.kinds[0]",
      "kinds: [Pod] => kinds: [Pod]\\n          annotations: {a: b} => spec.rules[0].match.any[0].resources.annotations",
      "- resources: => - subjects: [{kind: User, name: x}]\\n        resources: => spec.rules[0].match.any[0].subjects",
      "imageReferences: [\"*\"] => imageReferences: [\"*\"]\\n      type: Notary => spec.rules[0].verifyImages[0].type",
      "imageReferences: [\"*\"] => imageReferences: [\"*\"]\\n      repository: x => spec.rules[0].verifyImages[0].repository",
      "subject: s\\n            issuer: i\\n      attestations: => subject: s\\n      attestations: => spec.rules[0].verifyImages[0].attestors[0].entries[0].keyless",
      "issuer: i\\n      attestations: => issuer: i\\n            foo: 1\\n      attestations: => spec.rules[0].verifyImages[0].attestors[0].entries[0].keyless.foo",
      "issuer: i\\n      attestations: => issuer: i\\n            additionalExtensions: {buildTrigger: x}\\n      attestations: => spec.rules[0].verifyImages[0].attestors[0].entries[0].keyless.additionalExtensions.buildTrigger",
      "issuer: i\\n      attestations: => issuerRegExp: '('\\n      attestations: => spec.rules[0].verifyImages[0].attestors[0].entries[0].keyless",
      "- entries:\\n        - keyless:\\n            subject: s\\n            issuer: i\\n      attestations: => "
          + "- count: 2\\n        entries:\\n        - keyless:\\n            subject: s\\n            issuer: i\\n      attestations: => "
          + "spec.rules[0].verifyImages[0].attestors[0].count",
      "operator: Equals => operator: Matches => spec.rules[0].verifyImages[0].attestations[0].conditions[0].all[0].operator",
      "key: \"{{ a }}\" => key: \"{{ a[0:1] }}\" => spec.rules[0].verifyImages[0].attestations[0].conditions[0].all[0].key",
      "key: \"{{ a }}\" => key: \"{{ sort_by(a, &b) }}\" => spec.rules[0].verifyImages[0].attestations[0].conditions[0].all[0].key",
      "attestors:\\n        - entries:\\n          - keyless:\\n              subject: s\\n              issuer: i\\n        conditions: => "
          + "conditions: => spec.rules[0].verifyImages[0].attestations[0].attestors",
      "name: base => name: base\\n  namespace: x => metadata.namespace",
      "kind: ClusterPolicy => kind: Policy => metadata.namespace",
      "apiVersion: kyverno.io/v1 => apiVersion: kyverno.io/v2beta1 => apiVersion"})
  void load_refusesWithThePath(String from, String to, String path) {
    String yaml = BASE.replace(from.replace("\\n", "\n"), to.replace("\\n", "\n"));
    assertThat(yaml).as("test mutation applies").isNotEqualTo(BASE);
    assertThatThrownBy(() -> KyvernoPolicies.load(List.of(new PolicyDocument("x.yaml", "t", yaml))))
        .isInstanceOfSatisfying(PolicyException.class, e -> {
          assertThat(e.path()).as(e.getMessage()).isEqualTo(path);
          assertThat(e.getMessage()).startsWith("x.yaml: " + path + ": ");
        });
  }

  @ParameterizedTest
  @CsvSource(delimiterString = " => ", quoteCharacter = '~', value = {
      "name: base => name: a\\n  name: b",
      "  - name: r => - name: r\\n   bad indent"})
  void malformedYaml_isRefusedWithTheDocumentName(String from, String to) {
    String yaml = BASE.replace(from.replace("\\n", "\n"), to.replace("\\n", "\n"));
    assertThatThrownBy(() -> KyvernoPolicies.load(List.of(new PolicyDocument("x.yaml", "t", yaml))))
        .isInstanceOfSatisfying(PolicyException.class, e -> {
          assertThat(e.document()).isEqualTo("x.yaml");
          assertThat(e.getMessage()).contains("not valid YAML");
        });
  }
}
