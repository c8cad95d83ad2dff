package dev.airseal.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Kubernetes label selector ({@code matchLabels}, {@code matchExpressions} with In, NotIn,
 * Exists, DoesNotExist). As in Kyverno, keys and values in {@code matchLabels} may hold
 * wildcards.
 */
record LabelSelector(Map<String, String> matchLabels, List<Expression> expressions) {
  record Expression(String key, String operator, List<String> values) {
    boolean matches(Map<String, String> labels) {
      String v = labels.get(key);
      return switch (operator) {
        case "In" -> v != null && values.contains(v);
        case "NotIn" -> v == null || !values.contains(v);
        case "Exists" -> labels.containsKey(key);
        default -> !labels.containsKey(key); // DoesNotExist
      };
    }
  }

  static LabelSelector parse(Fields f) throws PolicyException {
    f.only(Set.of("matchLabels", "matchExpressions"));
    List<Expression> exprs = new ArrayList<>();
    for (Fields e : f.list("matchExpressions")) {
      e.only(Set.of("key", "operator", "values"));
      String op = e.requireString("operator");
      List<String> values = e.strings("values");
      switch (op) {
        case "In", "NotIn" -> {
          if (values.isEmpty()) {
            throw e.error("values", "required for operator " + op);
          }
        }
        case "Exists", "DoesNotExist" -> {
          if (!values.isEmpty()) {
            throw e.error("values", "must be empty for operator " + op);
          }
        }
        default -> throw e.error("operator", "unknown operator \"" + op + "\" (In, NotIn, Exists, DoesNotExist)");
      }
      exprs.add(new Expression(e.requireString("key"), op, values));
    }
    return new LabelSelector(Map.copyOf(f.stringMap("matchLabels")), List.copyOf(exprs));
  }

  boolean matches(Map<String, String> labels) {
    for (Map.Entry<String, String> want : matchLabels.entrySet()) {
      boolean found = labels.entrySet().stream().anyMatch(l ->
          Wildcards.match(want.getKey(), l.getKey()) && Wildcards.match(want.getValue(), l.getValue()));
      if (!found) {
        return false;
      }
    }
    return expressions.stream().allMatch(e -> e.matches(labels));
  }
}
