package dev.airseal.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One node of a policy document with its path ({@code spec.rules[0].match}), read strictly: a key
 * the reader did not expect, or a value of the wrong shape, is a {@link PolicyException} naming the
 * path. This is what keeps a policy from being half-applied.
 */
final class Fields {
  private final String document;
  private final JsonNode node;
  private final String path;

  Fields(String document, JsonNode node, String path) {
    this.document = document;
    this.node = node;
    this.path = path;
  }

  String path() {
    return path;
  }

  String document() {
    return document;
  }

  JsonNode node() {
    return node;
  }

  PolicyException error(String message) {
    return new PolicyException(document, path, message);
  }

  PolicyException error(String key, String message) {
    return new PolicyException(document, child(key), message);
  }

  private String child(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** Refuses any key not in {@code allowed}, naming the first such key's path. */
  Fields only(Set<String> allowed) throws PolicyException {
    if (!node.isObject()) {
      throw error("expected a mapping, found " + kind(node));
    }
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String n = names.next();
      if (!allowed.contains(n)) {
        throw error(n, "field not supported by Airseal (supported here: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
      }
    }
    return this;
  }

  /** Refuses {@code key} when present, with {@code why}. */
  void refuse(String key, String why) throws PolicyException {
    if (has(key)) {
      throw error(key, why);
    }
  }

  boolean has(String key) {
    JsonNode v = node.get(key);
    return v != null && !v.isNull();
  }

  Optional<Fields> object(String key) throws PolicyException {
    if (!has(key)) {
      return Optional.empty();
    }
    JsonNode v = node.get(key);
    if (!v.isObject()) {
      throw error(key, "expected a mapping, found " + kind(v));
    }
    return Optional.of(new Fields(document, v, child(key)));
  }

  Fields requireObject(String key) throws PolicyException {
    return object(key).orElseThrow(() -> error(key, "required"));
  }

  /** The list under {@code key} (empty when absent), each element with its indexed path. */
  List<Fields> list(String key) throws PolicyException {
    if (!has(key)) {
      return List.of();
    }
    JsonNode v = node.get(key);
    if (!v.isArray()) {
      throw error(key, "expected a list, found " + kind(v));
    }
    List<Fields> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      out.add(new Fields(document, v.get(i), child(key) + "[" + i + "]"));
    }
    return out;
  }

  List<String> strings(String key) throws PolicyException {
    List<String> out = new ArrayList<>();
    for (Fields f : list(key)) {
      if (!f.node.isTextual()) {
        throw f.error("expected a string, found " + kind(f.node));
      }
      out.add(f.node.asText());
    }
    return out;
  }

  Optional<String> string(String key) throws PolicyException {
    if (!has(key)) {
      return Optional.empty();
    }
    JsonNode v = node.get(key);
    if (!v.isTextual()) {
      throw error(key, "expected a string, found " + kind(v));
    }
    return Optional.of(v.asText());
  }

  String requireString(String key) throws PolicyException {
    String s = string(key).orElseThrow(() -> error(key, "required"));
    if (s.isBlank()) {
      throw error(key, "must not be empty");
    }
    return s;
  }

  boolean bool(String key, boolean dflt) throws PolicyException {
    if (!has(key)) {
      return dflt;
    }
    JsonNode v = node.get(key);
    if (!v.isBoolean()) {
      throw error(key, "expected true or false, found " + kind(v));
    }
    return v.asBoolean();
  }

  Optional<Integer> integer(String key) throws PolicyException {
    if (!has(key)) {
      return Optional.empty();
    }
    JsonNode v = node.get(key);
    if (!v.canConvertToInt() || !v.isIntegralNumber()) {
      throw error(key, "expected an integer, found " + kind(v));
    }
    return Optional.of(v.asInt());
  }

  /** A string-to-string map ({@code matchLabels}, {@code additionalExtensions}). */
  Map<String, String> stringMap(String key) throws PolicyException {
    Map<String, String> out = new LinkedHashMap<>();
    Optional<Fields> o = object(key);
    if (o.isEmpty()) {
      return out;
    }
    Iterator<Map.Entry<String, JsonNode>> it = o.get().node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isValueNode() || e.getValue().isNull()) {
        throw o.get().error(e.getKey(), "expected a string, found " + kind(e.getValue()));
      }
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }

  static String kind(JsonNode v) {
    if (v == null || v.isNull()) {
      return "nothing";
    }
    if (v.isObject()) {
      return "a mapping";
    }
    if (v.isArray()) {
      return "a list";
    }
    if (v.isTextual()) {
      return "the string \"" + v.asText() + "\"";
    }
    return v.toString();
  }
}
