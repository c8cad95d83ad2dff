package dev.airseal.trust;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** A JSON node with its path in the document, so that every refusal names the field. */
record JsonField(JsonNode node, String path) {

  JsonField get(String name) {
    return new JsonField(node.get(name), path.isEmpty() ? name : path + "." + name);
  }

  boolean present() {
    return node != null && !node.isNull();
  }

  TrustRootException error(String problem) {
    return new TrustRootException((path.isEmpty() ? "trusted root" : path) + ": " + problem);
  }

  // Fail closed: a field we do not understand might narrow trust (a newer validity rule, an
  // operator restriction), and silently dropping it would widen what we accept.
  JsonField object(Set<String> known) throws TrustRootException {
    if (!present() || !node.isObject()) {
      throw error("expected an object");
    }
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!known.contains(name)) {
        throw get(name).error("unknown field");
      }
    }
    return this;
  }

  List<JsonField> array() throws TrustRootException {
    List<JsonField> out = new ArrayList<>();
    if (!present()) {
      return out;
    }
    if (!node.isArray()) {
      throw error("expected an array");
    }
    for (int i = 0; i < node.size(); i++) {
      out.add(new JsonField(node.get(i), path + "[" + i + "]"));
    }
    return out;
  }

  String string() throws TrustRootException {
    if (!present()) {
      throw error("missing");
    }
    if (!node.isTextual()) {
      throw error("expected a string");
    }
    return node.textValue();
  }

  String stringOr(String absent) throws TrustRootException {
    return present() ? string() : absent;
  }

  byte[] bytes() throws TrustRootException {
    // Go's base64 decoder, and so protojson, skips CR and LF; tools that wrap at 76 rely on it.
    String text = string().replace("\r", "").replace("\n", "");
    try {
      // Protobuf JSON accepts both base64 alphabets for bytes fields.
      return text.indexOf('-') >= 0 || text.indexOf('_') >= 0
          ? Base64.getUrlDecoder().decode(text)
          : Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw error("not base64: " + e.getMessage());
    }
  }

  Instant timestamp() throws TrustRootException {
    String text = string();
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw error("not an RFC 3339 timestamp: " + text);
    }
  }
}
