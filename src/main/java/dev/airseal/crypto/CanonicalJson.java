package dev.airseal.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * JSON Canonicalization Scheme.
 *
 * <p>SPEC: https://www.rfc-editor.org/rfc/rfc8785 — members sorted by the UTF-16 code units of
 * their names, no whitespace, strings with the minimal escapes of ECMAScript JSON.stringify,
 * numbers as ECMAScript Number.prototype.toString. Rekor passes every entry body through the same
 * scheme (cyberphone jsoncanonicalizer), so the bytes we hash into the log are the bytes Rekor
 * would have hashed.
 */
public final class CanonicalJson {
  private CanonicalJson() {}

  /**
   * Encodes {@code node} canonically as UTF-8.
   *
   * @throws IllegalArgumentException for values JCS cannot represent: NaN, infinities, binary or
   *     POJO nodes, and strings holding an unpaired surrogate
   */
  public static byte[] encode(JsonNode node) {
    StringBuilder out = new StringBuilder();
    write(node, out);
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void write(JsonNode node, StringBuilder out) {
    switch (node.getNodeType()) {
      case OBJECT -> writeObject(node, out);
      case ARRAY -> {
        out.append('[');
        for (int i = 0; i < node.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          write(node.get(i), out);
        }
        out.append(']');
      }
      case STRING -> writeString(node.textValue(), out);
      case NUMBER -> out.append(EcmaNumbers.toString(node.doubleValue()));
      case BOOLEAN -> out.append(node.booleanValue() ? "true" : "false");
      case NULL -> out.append("null");
      default ->
          throw new IllegalArgumentException("JSON node type " + node.getNodeType() + " has no JCS form");
    }
  }

  private static void writeObject(JsonNode node, StringBuilder out) {
    List<Map.Entry<String, JsonNode>> members = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      members.add(it.next());
    }
    // String.compareTo compares UTF-16 code units, which is the order RFC 8785 section 3.2.3 asks.
    members.sort(Map.Entry.comparingByKey());
    out.append('{');
    boolean first = true;
    for (Map.Entry<String, JsonNode> member : members) {
      if (!first) {
        out.append(',');
      }
      first = false;
      writeString(member.getKey(), out);
      out.append(':');
      write(member.getValue(), out);
    }
    out.append('}');
  }

  private static void writeString(String s, StringBuilder out) {
    out.append('"');
    // Entry bodies are mostly base64 and hex that need no escape: copy such a run in one go.
    int plain = 0;
    while (plain < s.length() && needsNoCare(s.charAt(plain))) {
      plain++;
    }
    out.append(s, 0, plain);
    for (int i = plain; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        out.append(c).append(s.charAt(++i));
        continue;
      }
      if (Character.isSurrogate(c)) {
        // UTF-8 cannot carry it; String.getBytes would silently write '?'.
        throw new IllegalArgumentException("string holds an unpaired surrogate at char " + i);
      }
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static boolean needsNoCare(char c) {
    return c >= 0x20 && c != '"' && c != '\\' && !Character.isSurrogate(c);
  }
}
