package dev.airseal.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** JMESPath as Kyverno conditions write it, the operators, and durations. */
class ConditionsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JmesFunctions.Env ENV = new JmesFunctions.Env(Instant.parse("2026-01-08T00:00:00Z"));
  private static final String PREDICATE = """
      {"Data": {"bomFormat": "CycloneDX"},
       "builder": {"id": "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_container_slsa3.yml@refs/tags/v1.2.3"},
       "metadata": {"scanFinishedOn": "2026-01-05T00:00:00Z"},
       "components": [{"name": "commons-text", "version": "1.10.0"}, {"name": "guava", "version": "31"}],
       "matches": [{"vulnerability": {"cvss": [{"metrics": {"impactScore": 9.1}}, {"metrics": {"impactScore": 3}}]}},
                   {"vulnerability": {"cvss": [{"metrics": {"impactScore": 5.9}}]}}],
       "source": {"target": {"userInput": "ghcr.io/x:1"}},
       "list": [1, 2, 3], "a.b": "dotted"}
      """;

  private static JsonNode eval(String template) throws Exception {
    return Template.parse(template).evaluate(JSON.readTree(PREDICATE), ENV);
  }

  @ParameterizedTest
  @CsvSource(delimiterString = " => ", quoteCharacter = '~', value = {
      "{{ Data.bomFormat }} => \"CycloneDX\"",
      "{{ components[?name=='commons-text'].version || 'none' }} => [\"1.10.0\"]",
      "{{ components[?name=='log4j'].version || 'none' }} => \"none\"",
      "{{ matches[].vulnerability[].cvss[?metrics.impactScore > `8.0`][] | length(@) }} => 1",
      "{{ matches[].vulnerability.cvss[].metrics.impactScore }} => [9.1,3,5.9]",
      "{{ list[-1] }} => 3",
      "{{ list[*] }} => [1,2,3]",
      "{{ \"a.b\" }} => \"dotted\"",
      "{{ length(components) }} => 2",
      "{{ !contains(list, `4`) && starts_with(source.target.userInput, 'ghcr.io/') }} => true",
      "{{ regex_match('^https://github.com/slsa-framework/.*@refs/tags/v[0-9].[0-9].[0-9]$','{{ builder.id}}') }} => true",
      "{{ time_since('','{{metadata.scanFinishedOn}}','') }} => \"72h0m0s\"",
      "{{ time_since('', '2026-01-01T00:00:00Z', '2026-01-01T00:01:30.5Z') }} => \"1m30.5s\"",
      "v-{{ Data.bomFormat }} => \"v-CycloneDX\"",
      "{{ builder.* | [0] }} => \"https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_container_slsa3.yml@refs/tags/v1.2.3\"",
      "{{ builder.nope }} => null"})
  void templates_evaluateAsKyverno(String template, String expected) throws Exception {
    if (expected.equals("null")) {
      assertThatThrownBy(() -> eval(template)).hasMessageContaining("resolved to nothing");
      return;
    }
    assertThat(JmesPath.jsonEquals(eval(template), JSON.readTree(expected))).as(template + " → " + eval(template))
        .isTrue();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
      "foo[0:2]", "foo.[a, b]", "{a: b}", "sort_by(x, &y)", "nope(x)", "length(a, b)", "a ==", "'unterminated",
      "`{bad json`"})
  void unsupportedOrMalformedExpressions_areRefusedAtCompileTime(String expr) {
    assertThatThrownBy(() -> JmesPath.compile(expr)).isInstanceOf(JmesPath.JmesException.class);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Equals|\"CycloneDX\"|\"Cyclone*\"|true",
      "Equals|0|0|true",
      "Equals|\"0\"|0|true",
      "Equals|true|true|true",
      "NotEquals|\"a\"|\"b\"|true",
      "Equals|[\"a\"]|[\"a\"]|true",
      "AnyIn|[\"a\",\"z\"]|[\"a\",\"b\"]|true",
      "AllIn|[\"a\",\"z\"]|[\"a\",\"b\"]|false",
      "AllIn|[\"a\",\"b\"]|[\"a\",\"b\",\"c\"]|true",
      "In|\"b\"|[\"a\",\"b\"]|true",
      "NotIn|\"c\"|[\"a\",\"b\"]|true",
      "AnyNotIn|[\"a\",\"z\"]|[\"a\",\"b\"]|true",
      "AllNotIn|[\"1.10.0\"]|[\"1.5\",\"1.6\",\"1.7\",\"1.8\",\"1.9\"]|true",
      "AllNotIn|[\"1.9\"]|[\"1.5\",\"1.6\",\"1.7\",\"1.8\",\"1.9\"]|false",
      "AllNotIn|\"none\"|[\"1.5\"]|true",
      "AnyIn|\"ghcr.io/x\"|\"[\\\"ghcr.io/*\\\"]\"|true",
      "LessThanOrEquals|\"72h0m0s\"|\"168h\"|true",
      "LessThanOrEquals|\"169h\"|\"168h\"|false",
      "GreaterThan|10|9.5|true",
      "GreaterThanOrEquals|\"1.10.0\"|\"1.9.0\"|true",
      "LessThan|\"abc\"|\"168h\"|false",
      "DurationGreaterThan|\"2h\"|\"90m\"|true",
      "DurationLessThan|5|\"90m\"|true",
      "DurationLessThan|\"2h\"|\"90m\"|false"})
  void operators_followKyverno(String op, String key, String value, boolean expected) throws Exception {
    Operators.Op o = Operators.parse(op).orElseThrow();
    assertThat(Operators.evaluate(o, JSON.readTree(key), JSON.readTree(value))).as(op + " " + key + " " + value)
        .isEqualTo(expected);
  }

  @Test
  void operatorNames_areCaseInsensitive() {
    assertThat(Operators.parse("equals")).contains(Operators.Op.EQUALS);
    assertThat(Operators.parse("anyin")).contains(Operators.Op.ANY_IN);
    assertThat(Operators.parse("Matches")).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"168h,604800000000000", "1h30m,5400000000000", "1.5s,1500000000", "300ms,300000000", "0,0",
      "-2m,-120000000000"})
  void goDurations_parse(String text, long nanos) {
    assertThat(GoDurations.parse(text)).contains(nanos);
  }

  @ParameterizedTest
  @CsvSource({"0,0s", "1500000000,1.5s", "3600000000000,1h0m0s", "90061000000000,25h1m1s", "1500000,1.5ms",
      "999,999ns"})
  void goDurations_formatLikeGo(long nanos, String text) {
    assertThat(GoDurations.format(nanos)).isEqualTo(text);
  }

  @Test
  void durations_refuseGarbage() {
    assertThat(GoDurations.parse("5")).isEmpty();
    assertThat(GoDurations.parse("h")).isEmpty();
    assertThat(GoDurations.parse("5d")).isEmpty();
  }

  @Test
  void anyBlock_needsOne_allBlock_needsEvery() throws Exception {
    JsonNode pred = JSON.readTree(PREDICATE);
    Conditions c = new Conditions(
        java.util.List.of(cond("{{ Data.bomFormat }}", "Equals", "SPDX"), cond("{{ list[0] }}", "Equals", "1")),
        java.util.List.of(cond("{{ source.target.userInput }}", "Equals", "ghcr.io/*")));
    assertThat(c.evaluate(pred, ENV)).isEmpty();
    Conditions none = new Conditions(java.util.List.of(cond("{{ Data.bomFormat }}", "Equals", "SPDX")),
        java.util.List.of());
    assertThat(none.evaluate(pred, ENV)).hasValueSatisfying(f ->
        assertThat(f.message()).contains("none of the any conditions holds").contains("\"CycloneDX\""));
    Conditions missing = new Conditions(java.util.List.of(), java.util.List.of(cond("{{ nope }}", "Equals", "x")));
    assertThat(missing.evaluate(pred, ENV)).hasValueSatisfying(f ->
        assertThat(f.message()).contains("{{ nope }} resolved to nothing"));
  }

  private static Conditions.Condition cond(String key, String op, String value) throws Exception {
    return new Conditions.Condition("c", Template.parse(key), Operators.parse(op).orElseThrow(), TextNode.valueOf(value));
  }
}
