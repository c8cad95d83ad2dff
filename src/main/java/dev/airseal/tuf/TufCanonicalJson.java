package dev.airseal.tuf;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The canonical JSON TUF signs: securesystemslib's {@code encode_canonical} (OLPC canonical JSON),
 * which python-tuf, go-tuf ({@code cjson}) and tuf-on-ci sign and verify with.
 *
 * <p>SPEC: http://wiki.laptop.org/go/Canonical_JSON — keys sorted, no whitespace, integers only,
 * strings escaping only {@code "} and {@code \}; every other character, control characters included,
 * is written as is. This is not RFC 8785 ({@code crypto.CanonicalJson}): for a PEM key the two differ,
 * since RFC 8785 escapes its newlines.
 *
 * <p>sigstore-java verifies with its own canonicalizer, which writes a newline raw (as here) but
 * escapes the other control characters. So that every client computes the same bytes, strings with a
 * control character other than newline are refused: our metadata never holds one.
 */
public final class TufCanonicalJson {
  private TufCanonicalJson() {}

  /** The canonical bytes of {@code node}, UTF-8. */
  public static byte[] encode(JsonNode node) {
    StringBuilder out = new StringBuilder();
    write(node, out);
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void write(JsonNode node, StringBuilder out) {
    switch (node.getNodeType()) {
      case OBJECT -> {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
          names.add(it.next());
        }
        // securesystemslib sorts by Python str order (code points); equal to UTF-16 order for the
        // ASCII names TUF uses, which the check below keeps us to.
        names.sort(null);
        out.append('{');
        for (int i = 0; i < names.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          writeString(names.get(i), out);
          out.append(':');
          write(node.get(names.get(i)), out);
        }
        out.append('}');
      }
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
      case NUMBER -> {
        if (!node.canConvertToLong() || !node.isIntegralNumber()) {
          throw new IllegalArgumentException("canonical JSON has integers only, not " + node);
        }
        out.append(node.longValue());
      }
      case BOOLEAN -> out.append(node.booleanValue());
      case NULL -> out.append("null");
      default -> throw new IllegalArgumentException("JSON node type " + node.getNodeType() + " has no canonical form");
    }
  }

  private static void writeString(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\');
      } else if (c < 0x20 && c != '\n') {
        throw new IllegalArgumentException(
            "string holds control character U+" + String.format("%04X", (int) c)
                + ", which TUF clients canonicalize differently");
      } else if (Character.isSurrogate(c)) {
        throw new IllegalArgumentException("string holds a surrogate at char " + i + "; TUF metadata is ASCII");
      }
      out.append(c);
    }
    out.append('"');
  }
}
