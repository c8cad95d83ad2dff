package dev.airseal.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One {@code conditions[]} block of an attestation: every condition in {@code all} and at least
 * one in {@code any} (when given) must hold. Evaluated over the verified statement's predicate,
 * which is where Kyverno puts it in the JSON context.
 */
record Conditions(List<Condition> any, List<Condition> all) {
  record Condition(String path, Template key, Operators.Op operator, JsonNode value) {}

  /** A failed block: which condition and what it saw. */
  record Failure(String message) {}

  static Conditions parse(Fields f) throws PolicyException {
    f.only(Set.of("any", "all"));
    List<Condition> any = new ArrayList<>();
    for (Fields c : f.list("any")) {
      any.add(condition(c));
    }
    List<Condition> all = new ArrayList<>();
    for (Fields c : f.list("all")) {
      all.add(condition(c));
    }
    if (any.isEmpty() && all.isEmpty()) {
      throw f.error("any or all is required");
    }
    return new Conditions(List.copyOf(any), List.copyOf(all));
  }

  private static Condition condition(Fields f) throws PolicyException {
    f.only(Set.of("key", "operator", "value", "message"));
    if (!f.has("key")) {
      throw f.error("key", "required");
    }
    JsonNode keyNode = f.node().get("key");
    String keyText = keyNode.isTextual() ? keyNode.asText() : keyNode.toString();
    Template key = template(f, "key", keyText);
    String opName = f.requireString("operator");
    Operators.Op op = Operators.parse(opName)
        .orElseThrow(() -> f.error("operator", "\"" + opName + "\" is not supported (" + Operators.NAMES + ")"));
    JsonNode value = f.node().get("value");
    if (value == null) {
      throw f.error("value", "required");
    }
    checkTemplates(f, "value", value);
    return new Condition(f.path(), key, op, value);
  }

  private static Template template(Fields f, String field, String text) throws PolicyException {
    try {
      return Template.parse(text);
    } catch (JmesPath.JmesException e) {
      throw f.error(field, "unsupported or malformed JMESPath: " + e.getMessage());
    }
  }

  private static void checkTemplates(Fields f, String field, JsonNode v) throws PolicyException {
    if (v.isTextual() && Template.isTemplate(v.asText())) {
      template(f, field, v.asText());
    }
    for (JsonNode e : v) {
      checkTemplates(f, field, e);
    }
  }

  /** Empty when the block holds on {@code predicate}; else the first failing condition. */
  Optional<Failure> evaluate(JsonNode predicate, JmesFunctions.Env env) {
    for (Condition c : all) {
      Optional<String> why = check(c, predicate, env);
      if (why.isPresent()) {
        return Optional.of(new Failure(why.get()));
      }
    }
    if (any.isEmpty()) {
      return Optional.empty();
    }
    List<String> reasons = new ArrayList<>();
    for (Condition c : any) {
      Optional<String> why = check(c, predicate, env);
      if (why.isEmpty()) {
        return Optional.empty();
      }
      reasons.add(why.get());
    }
    return Optional.of(new Failure("none of the any conditions holds: " + String.join("; ", reasons)));
  }

  private static Optional<String> check(Condition c, JsonNode predicate, JmesFunctions.Env env) {
    JsonNode key;
    JsonNode value;
    try {
      key = c.key().evaluate(predicate, env);
      value = substitute(c.value(), predicate, env);
    } catch (JmesPath.JmesException e) {
      return Optional.of(c.path() + ": " + e.getMessage());
    }
    if (Operators.evaluate(c.operator(), key, value)) {
      return Optional.empty();
    }
    return Optional.of(c.path() + ": " + c.key() + " is " + key + ", not " + c.operator().kyvernoName() + " " + value);
  }

  private static JsonNode substitute(JsonNode v, JsonNode predicate, JmesFunctions.Env env) throws JmesPath.JmesException {
    if (v.isTextual() && Template.isTemplate(v.asText())) {
      return Template.parse(v.asText()).evaluate(predicate, env);
    }
    if (v.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      for (JsonNode e : v) {
        out.add(substitute(e, predicate, env));
      }
      return out;
    }
    if (v.isObject()) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      Iterator<Map.Entry<String, JsonNode>> it = v.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        out.set(e.getKey(), substitute(e.getValue(), predicate, env));
      }
      return out;
    }
    return v.isTextual() ? TextNode.valueOf(v.asText()) : v;
  }
}
