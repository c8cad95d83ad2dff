package dev.airseal.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The JMESPath built-ins Kyverno conditions use, and Kyverno's own {@code regex_match} and
 * {@code time_since} (pkg/engine/jmespath). Others are refused when the policy loads.
 */
final class JmesFunctions {
  /** What functions may read besides their arguments: the verifier's clock. */
  record Env(Instant now) {}

  interface Function {
    JsonNode apply(List<JsonNode> args, Env env) throws JmesPath.JmesException;
  }

  private record Def(int arity, Function f) {}

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Map<String, Def> FUNCTIONS = Map.ofEntries(
      Map.entry("length", new Def(1, (a, e) -> length(a.get(0)))),
      Map.entry("contains", new Def(2, (a, e) -> contains(a.get(0), a.get(1)))),
      Map.entry("starts_with", new Def(2, (a, e) ->
          BooleanNode.valueOf(text(a.get(0), "starts_with").startsWith(text(a.get(1), "starts_with"))))),
      Map.entry("ends_with", new Def(2, (a, e) ->
          BooleanNode.valueOf(text(a.get(0), "ends_with").endsWith(text(a.get(1), "ends_with"))))),
      Map.entry("to_string", new Def(1, (a, e) ->
          a.get(0).isTextual() ? a.get(0) : TextNode.valueOf(a.get(0).toString()))),
      Map.entry("to_number", new Def(1, (a, e) -> toNumber(a.get(0)))),
      Map.entry("not_null", new Def(1, (a, e) -> a.get(0))),
      Map.entry("type", new Def(1, (a, e) -> TextNode.valueOf(type(a.get(0))))),
      Map.entry("keys", new Def(1, (a, e) -> keys(a.get(0), true))),
      Map.entry("values", new Def(1, (a, e) -> keys(a.get(0), false))),
      Map.entry("sum", new Def(1, (a, e) -> sum(a.get(0)))),
      Map.entry("join", new Def(2, (a, e) -> join(a.get(0), a.get(1)))),
      Map.entry("regex_match", new Def(2, (a, e) -> regexMatch(a.get(0), a.get(1)))),
      Map.entry("time_since", new Def(3, JmesFunctions::timeSince)));

  private JmesFunctions() {}

  static Optional<Function> lookup(String name, int arity) {
    Def d = FUNCTIONS.get(name);
    return d == null || d.arity() != arity ? Optional.empty() : Optional.of(d.f());
  }

  private static JsonNode length(JsonNode v) throws JmesPath.JmesException {
    if (v.isTextual()) {
      return IntNode.valueOf(v.asText().codePointCount(0, v.asText().length()));
    }
    if (v.isContainerNode()) {
      return IntNode.valueOf(v.size());
    }
    throw new JmesPath.JmesException("length() needs a string, list or object, not " + type(v));
  }

  private static JsonNode contains(JsonNode subject, JsonNode search) throws JmesPath.JmesException {
    if (subject.isTextual()) {
      return BooleanNode.valueOf(search.isTextual() && subject.asText().contains(search.asText()));
    }
    if (subject.isArray()) {
      for (JsonNode e : subject) {
        if (JmesPath.jsonEquals(e, search)) {
          return BooleanNode.TRUE;
        }
      }
      return BooleanNode.FALSE;
    }
    throw new JmesPath.JmesException("contains() needs a string or list, not " + type(subject));
  }

  private static String text(JsonNode v, String fn) throws JmesPath.JmesException {
    if (!v.isTextual()) {
      throw new JmesPath.JmesException(fn + "() needs strings, not " + type(v));
    }
    return v.asText();
  }

  private static JsonNode toNumber(JsonNode v) {
    if (v.isNumber()) {
      return v;
    }
    if (v.isTextual()) {
      try {
        double d = Double.parseDouble(v.asText());
        return d == Math.rint(d) && Math.abs(d) < Integer.MAX_VALUE ? IntNode.valueOf((int) d) : DoubleNode.valueOf(d);
      } catch (NumberFormatException e) {
        return NullNode.instance;
      }
    }
    return NullNode.instance;
  }

  private static JsonNode keys(JsonNode v, boolean names) throws JmesPath.JmesException {
    if (!v.isObject()) {
      throw new JmesPath.JmesException((names ? "keys" : "values") + "() needs an object, not " + type(v));
    }
    ArrayNode out = NODES.arrayNode();
    v.fields().forEachRemaining(e -> out.add(names ? TextNode.valueOf(e.getKey()) : e.getValue()));
    return out;
  }

  private static JsonNode sum(JsonNode v) throws JmesPath.JmesException {
    if (!v.isArray()) {
      throw new JmesPath.JmesException("sum() needs a list of numbers, not " + type(v));
    }
    double s = 0;
    for (JsonNode e : v) {
      if (!e.isNumber()) {
        throw new JmesPath.JmesException("sum() needs a list of numbers, found " + type(e));
      }
      s += e.asDouble();
    }
    return DoubleNode.valueOf(s);
  }

  private static JsonNode join(JsonNode glue, JsonNode list) throws JmesPath.JmesException {
    if (!list.isArray()) {
      throw new JmesPath.JmesException("join() needs a list of strings, not " + type(list));
    }
    List<String> parts = new ArrayList<>();
    for (JsonNode e : list) {
      parts.add(text(e, "join"));
    }
    return TextNode.valueOf(String.join(text(glue, "join"), parts));
  }

  /** Kyverno: {@code regex_match(pattern, value)}, a partial match as Go's regexp.MatchString. */
  private static JsonNode regexMatch(JsonNode pattern, JsonNode value) throws JmesPath.JmesException {
    String v = value.isTextual() ? value.asText() : value.isNumber() ? value.asText() : null;
    if (v == null) {
      throw new JmesPath.JmesException("regex_match() needs a string or number to match, not " + type(value));
    }
    try {
      return BooleanNode.valueOf(Pattern.compile(text(pattern, "regex_match")).matcher(v).find());
    } catch (PatternSyntaxException e) {
      throw new JmesPath.JmesException("regex_match(): invalid pattern: " + e.getDescription());
    }
  }

  /**
   * Kyverno: {@code time_since(layout, t1, t2)}, the Go duration from t1 to t2 (now when empty).
   * Only the default layout (RFC 3339) is supported.
   */
  private static JsonNode timeSince(List<JsonNode> a, Env env) throws JmesPath.JmesException {
    if (!text(a.get(0), "time_since").isEmpty()) {
      throw new JmesPath.JmesException("time_since(): only the default RFC 3339 layout ('') is supported");
    }
    Instant t1 = instant(text(a.get(1), "time_since"));
    String end = text(a.get(2), "time_since");
    Instant t2 = end.isEmpty() ? env.now() : instant(end);
    return TextNode.valueOf(GoDurations.format(Duration.between(t1, t2).toNanos()));
  }

  private static Instant instant(String s) throws JmesPath.JmesException {
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException e) {
      throw new JmesPath.JmesException("time_since(): \"" + s + "\" is not an RFC 3339 time");
    }
  }

  static String type(JsonNode v) {
    if (v == null || v.isNull()) {
      return "null";
    }
    if (v.isTextual()) {
      return "string";
    }
    if (v.isNumber()) {
      return "number";
    }
    if (v.isBoolean()) {
      return "boolean";
    }
    return v.isArray() ? "array" : "object";
  }
}
