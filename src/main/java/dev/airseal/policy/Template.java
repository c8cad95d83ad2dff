package dev.airseal.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A string with Kyverno variables ({@code "{{ predicate.buildType }}"}). Innermost variables are
 * substituted first, so {@code "{{ regex_match('^v', '{{ builder.id }}') }}"} works as in Kyverno;
 * a string that is one variable becomes that variable's JSON value, anything else becomes text.
 * Every expression is compiled when the policy loads, so a bad one is refused there.
 */
final class Template {
  private static final String OPEN = "{{";
  private static final String CLOSE = "}}";
  private static final Map<String, JmesPath.Expr> COMPILED = new ConcurrentHashMap<>();
  private static final int MAX_COMPILED = 4096;

  private final String text;

  private Template(String text) {
    this.text = text;
  }

  /** Compiles every variable in {@code text}, innermost first, with placeholders for the inner ones. */
  static Template parse(String text) throws JmesPath.JmesException {
    String s = text;
    int[] v;
    while ((v = innermost(s)) != null) {
      compile(s.substring(v[0] + OPEN.length(), v[1]).trim());
      s = s.substring(0, v[0]) + "x" + s.substring(v[1] + CLOSE.length());
    }
    if (s.contains(CLOSE)) {
      throw new JmesPath.JmesException("unbalanced }} in " + text);
    }
    return new Template(text);
  }

  static boolean isTemplate(String s) {
    return s.contains(OPEN);
  }

  JsonNode evaluate(JsonNode root, JmesFunctions.Env env) throws JmesPath.JmesException {
    String s = text;
    int[] v;
    while ((v = innermost(s)) != null) {
      String expr = s.substring(v[0] + OPEN.length(), v[1]).trim();
      JsonNode value = compile(expr).eval(root, env);
      if (value.isNull()) {
        throw new JmesPath.JmesException("variable {{ " + expr + " }} resolved to nothing");
      }
      if (v[0] == 0 && v[1] + CLOSE.length() == s.length()) {
        return value;
      }
      s = s.substring(0, v[0]) + (value.isTextual() ? value.asText() : value.toString())
          + s.substring(v[1] + CLOSE.length());
    }
    return TextNode.valueOf(s);
  }

  private static JmesPath.Expr compile(String expr) throws JmesPath.JmesException {
    JmesPath.Expr e = COMPILED.get(expr);
    if (e == null) {
      e = JmesPath.compile(expr);
      // Substituted expressions differ per statement; bound what they can make us keep.
      if (COMPILED.size() < MAX_COMPILED) {
        COMPILED.put(expr, e);
      }
    }
    return e;
  }

  /** The first {@code {{ ... }}} holding no other, as [index of {{, index of }}]. */
  private static int[] innermost(String s) {
    int close = s.indexOf(CLOSE);
    if (close < 0) {
      return null;
    }
    int open = s.lastIndexOf(OPEN, close - 1);
    return open < 0 ? null : new int[] {open, close};
  }

  @Override
  public String toString() {
    return text;
  }
}
