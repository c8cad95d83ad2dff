package dev.airseal.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JMESPath (jmespath.org/specification) that Kyverno conditions use: fields, quoted fields,
 * sub-expressions, indexes, {@code [*]} / {@code .*} / {@code []} projections, {@code [?...]}
 * filters, comparisons, {@code ||} {@code &&} {@code !}, pipes, {@code @}, raw-string and JSON
 * literals, and the functions in {@link JmesFunctions}. Slices, multi-select lists and hashes and
 * expression references are refused at compile time. A Pratt parser with the specification's
 * binding powers (those of the reference implementation).
 */
final class JmesPath {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final int PROJECTION_STOP = 10;

  /** A compiled expression. */
  interface Expr {
    JsonNode eval(JsonNode at, JmesFunctions.Env env) throws JmesException;
  }

  /** A malformed or unsupported expression, or a function given the wrong arguments. */
  static final class JmesException extends Exception {
    JmesException(String message) {
      super(message);
    }
  }

  private enum T {
    IDENT(0), QIDENT(0), LITERAL(0), NUMBER(0), RBRACKET(0), RPAREN(0), COMMA(0), RBRACE(0), CURRENT(0),
    EXPREF(0), COLON(0), EOF(0), PIPE(1), OR(2), AND(3), EQ(5), NE(5), LT(5), LTE(5), GT(5), GTE(5),
    FLATTEN(9), STAR(20), FILTER(21), DOT(40), NOT(45), LBRACE(50), LBRACKET(55), LPAREN(60);

    final int bp;

    T(int bp) {
      this.bp = bp;
    }
  }

  private record Tok(T type, String text, JsonNode value) {}

  private final String source;
  private final List<Tok> toks;
  private int pos;

  private JmesPath(String source, List<Tok> toks) {
    this.source = source;
    this.toks = toks;
  }

  static Expr compile(String expression) throws JmesException {
    JmesPath p = new JmesPath(expression, lex(expression));
    Expr e = p.expression(0);
    if (p.peek() != T.EOF) {
      throw p.error("unexpected " + p.cur().text());
    }
    return e;
  }

  // --- lexer -----------------------------------------------------------------------------------

  private static List<Tok> lex(String s) throws JmesException {
    List<Tok> out = new ArrayList<>();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (Character.isLetter(c) || c == '_') {
        int j = i;
        while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
          j++;
        }
        out.add(new Tok(T.IDENT, s.substring(i, j), null));
        i = j;
      } else if (Character.isDigit(c) || (c == '-' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)))) {
        int j = i + 1;
        while (j < s.length() && Character.isDigit(s.charAt(j))) {
          j++;
        }
        out.add(new Tok(T.NUMBER, s.substring(i, j), null));
        i = j;
      } else if (c == '"') {
        int j = end(s, i, '"');
        try {
          out.add(new Tok(T.QIDENT, s.substring(i, j + 1), JSON.readTree(s.substring(i, j + 1))));
        } catch (IOException e) {
          throw new JmesException("bad quoted identifier " + s.substring(i, j + 1) + " in " + s);
        }
        i = j + 1;
      } else if (c == '\'') {
        int j = end(s, i, '\'');
        String raw = s.substring(i + 1, j).replace("\\'", "'");
        out.add(new Tok(T.LITERAL, s.substring(i, j + 1), TextNode.valueOf(raw)));
        i = j + 1;
      } else if (c == '`') {
        int j = end(s, i, '`');
        String raw = s.substring(i + 1, j).replace("\\`", "`");
        try {
          out.add(new Tok(T.LITERAL, s.substring(i, j + 1), JSON.readTree(raw)));
        } catch (IOException e) {
          throw new JmesException("literal " + s.substring(i, j + 1) + " is not JSON in " + s);
        }
        i = j + 1;
      } else {
        String two = i + 1 < s.length() ? s.substring(i, i + 2) : "";
        T t = switch (two) {
          case "||" -> T.OR;
          case "&&" -> T.AND;
          case "==" -> T.EQ;
          case "!=" -> T.NE;
          case "<=" -> T.LTE;
          case ">=" -> T.GTE;
          case "[]" -> T.FLATTEN;
          case "[?" -> T.FILTER;
          default -> null;
        };
        if (t != null) {
          out.add(new Tok(t, two, null));
          i += 2;
          continue;
        }
        t = switch (c) {
          case '.' -> T.DOT;
          case '*' -> T.STAR;
          case '[' -> T.LBRACKET;
          case ']' -> T.RBRACKET;
          case '(' -> T.LPAREN;
          case ')' -> T.RPAREN;
          case '{' -> T.LBRACE;
          case '}' -> T.RBRACE;
          case ',' -> T.COMMA;
          case ':' -> T.COLON;
          case '@' -> T.CURRENT;
          case '&' -> T.EXPREF;
          case '|' -> T.PIPE;
          case '<' -> T.LT;
          case '>' -> T.GT;
          case '!' -> T.NOT;
          default -> throw new JmesException("unexpected character '" + c + "' in " + s);
        };
        out.add(new Tok(t, String.valueOf(c), null));
        i++;
      }
    }
    out.add(new Tok(T.EOF, "end of expression", null));
    return out;
  }

  private static int end(String s, int start, char quote) throws JmesException {
    for (int j = start + 1; j < s.length(); j++) {
      if (s.charAt(j) == '\\') {
        j++;
      } else if (s.charAt(j) == quote) {
        return j;
      }
    }
    throw new JmesException("unterminated " + quote + " in " + s);
  }

  // --- parser ----------------------------------------------------------------------------------

  private Tok cur() {
    return toks.get(pos);
  }

  private T peek() {
    return cur().type();
  }

  private Tok next() {
    return toks.get(pos++);
  }

  private void expect(T t) throws JmesException {
    if (peek() != t) {
      throw error("expected " + t.name().toLowerCase() + " but found " + cur().text());
    }
    pos++;
  }

  private JmesException error(String message) {
    return new JmesException(message + " in " + source);
  }

  private Expr expression(int bp) throws JmesException {
    Expr left = nud(next());
    while (bp < peek().bp) {
      left = led(next(), left);
    }
    return left;
  }

  private Expr nud(Tok t) throws JmesException {
    switch (t.type()) {
      case IDENT:
        return field(t.text());
      case QIDENT:
        if (peek() == T.LPAREN) {
          throw error("a quoted identifier cannot name a function");
        }
        return field(t.value().asText());
      case LITERAL: {
        JsonNode v = t.value();
        return (at, env) -> v;
      }
      case CURRENT:
        return (at, env) -> at;
      case STAR:
        return valueProjection((at, env) -> at, projectionRhs(T.STAR.bp));
      case FILTER:
        return filter((at, env) -> at);
      case FLATTEN:
        return projection(flatten((at, env) -> at), projectionRhs(T.FLATTEN.bp));
      case NOT: {
        Expr e = expression(T.NOT.bp);
        return (at, env) -> BooleanNode.valueOf(!truthy(e.eval(at, env)));
      }
      case LPAREN: {
        Expr e = expression(0);
        expect(T.RPAREN);
        return e;
      }
      case LBRACKET:
        if (peek() == T.NUMBER) {
          return index((at, env) -> at);
        }
        if (peek() == T.STAR && toks.get(pos + 1).type() == T.RBRACKET) {
          pos += 2;
          return projection((at, env) -> at, projectionRhs(T.STAR.bp));
        }
        throw error("multi-select lists and slices are not supported");
      case LBRACE:
        throw error("multi-select hashes are not supported");
      case EXPREF:
        throw error("expression references (&) are not supported");
      default:
        throw error("unexpected " + t.text());
    }
  }

  private Expr led(Tok t, Expr left) throws JmesException {
    switch (t.type()) {
      case DOT:
        if (peek() == T.STAR) {
          pos++;
          return valueProjection(left, projectionRhs(T.DOT.bp));
        }
        return sub(left, dotRhs(T.DOT.bp));
      case PIPE: {
        Expr right = expression(T.PIPE.bp);
        return (at, env) -> right.eval(left.eval(at, env), env);
      }
      case OR: {
        Expr right = expression(T.OR.bp);
        return (at, env) -> {
          JsonNode l = left.eval(at, env);
          return truthy(l) ? l : right.eval(at, env);
        };
      }
      case AND: {
        Expr right = expression(T.AND.bp);
        return (at, env) -> {
          JsonNode l = left.eval(at, env);
          return truthy(l) ? right.eval(at, env) : l;
        };
      }
      case EQ, NE, LT, LTE, GT, GTE: {
        Expr right = expression(t.type().bp);
        T op = t.type();
        return (at, env) -> compare(op, left.eval(at, env), right.eval(at, env));
      }
      case LPAREN:
        return function(t, left);
      case FILTER:
        return filter(left);
      case FLATTEN:
        return projection(flatten(left), projectionRhs(T.FLATTEN.bp));
      case LBRACKET:
        if (peek() == T.NUMBER) {
          return index(left);
        }
        if (peek() == T.STAR && toks.get(pos + 1).type() == T.RBRACKET) {
          pos += 2;
          return projection(left, projectionRhs(T.STAR.bp));
        }
        throw error("multi-select lists and slices are not supported");
      default:
        throw error("unexpected " + t.text());
    }
  }

  private Expr dotRhs(int bp) throws JmesException {
    T t = peek();
    if (t == T.IDENT || t == T.QIDENT || t == T.STAR) {
      return expression(bp);
    }
    if (t == T.LBRACKET || t == T.LBRACE) {
      throw error("multi-select lists and hashes are not supported");
    }
    throw error("expected an identifier after '.' but found " + cur().text());
  }

  private Expr projectionRhs(int bp) throws JmesException {
    if (peek().bp < PROJECTION_STOP) {
      return (at, env) -> at;
    }
    if (peek() == T.LBRACKET || peek() == T.FILTER) {
      return expression(bp);
    }
    if (peek() == T.DOT) {
      pos++;
      return dotRhs(bp);
    }
    throw error("unexpected " + cur().text() + " after a projection");
  }

  private Expr index(Expr left) throws JmesException {
    int i = Integer.parseInt(next().text());
    if (peek() == T.COLON) {
      throw error("slices are not supported");
    }
    expect(T.RBRACKET);
    return (at, env) -> {
      JsonNode l = left.eval(at, env);
      if (!l.isArray()) {
        return NullNode.instance;
      }
      int k = i < 0 ? l.size() + i : i;
      return k >= 0 && k < l.size() ? l.get(k) : NullNode.instance;
    };
  }

  private Expr filter(Expr left) throws JmesException {
    Expr cond = expression(0);
    expect(T.RBRACKET);
    Expr right = peek() == T.FLATTEN ? (at, env) -> at : projectionRhs(T.FILTER.bp);
    return (at, env) -> {
      JsonNode l = left.eval(at, env);
      if (!l.isArray()) {
        return NullNode.instance;
      }
      ArrayNode out = NODES.arrayNode();
      for (JsonNode e : l) {
        if (truthy(cond.eval(e, env))) {
          JsonNode r = right.eval(e, env);
          if (!r.isNull()) {
            out.add(r);
          }
        }
      }
      return out;
    };
  }

  private Expr function(Tok paren, Expr left) throws JmesException {
    String name = toks.get(pos - 2).type() == T.IDENT ? toks.get(pos - 2).text() : null;
    if (name == null) {
      throw error("a function call needs a function name");
    }
    List<Expr> args = new ArrayList<>();
    while (peek() != T.RPAREN) {
      if (peek() == T.EXPREF) {
        throw error("expression references (&) are not supported");
      }
      args.add(expression(0));
      if (peek() == T.COMMA) {
        pos++;
      } else if (peek() != T.RPAREN) {
        throw error("expected , or ) but found " + cur().text());
      }
    }
    pos++;
    JmesFunctions.Function f = JmesFunctions.lookup(name, args.size())
        .orElseThrow(() -> error("unknown function " + name + "() with " + args.size() + " arguments"));
    return (at, env) -> {
      List<JsonNode> values = new ArrayList<>();
      for (Expr a : args) {
        values.add(a.eval(at, env));
      }
      return f.apply(values, env);
    };
  }

  // --- evaluation ------------------------------------------------------------------------------

  private static Expr field(String name) {
    return (at, env) -> {
      JsonNode v = at == null || !at.isObject() ? null : at.get(name);
      return v == null ? NullNode.instance : v;
    };
  }

  private static Expr sub(Expr left, Expr right) {
    return (at, env) -> {
      JsonNode l = left.eval(at, env);
      return l.isNull() ? l : right.eval(l, env);
    };
  }

  private static Expr flatten(Expr inner) {
    return (at, env) -> {
      JsonNode l = inner.eval(at, env);
      if (!l.isArray()) {
        return NullNode.instance;
      }
      ArrayNode out = NODES.arrayNode();
      for (JsonNode e : l) {
        if (e.isArray()) {
          out.addAll((ArrayNode) e);
        } else {
          out.add(e);
        }
      }
      return out;
    };
  }

  private static Expr projection(Expr left, Expr right) {
    return (at, env) -> {
      JsonNode l = left.eval(at, env);
      if (!l.isArray()) {
        return NullNode.instance;
      }
      return collect(l, right, env);
    };
  }

  private static Expr valueProjection(Expr left, Expr right) {
    return (at, env) -> {
      JsonNode l = left.eval(at, env);
      if (!l.isObject()) {
        return NullNode.instance;
      }
      ArrayNode values = NODES.arrayNode();
      l.elements().forEachRemaining(values::add);
      return collect(values, right, env);
    };
  }

  private static JsonNode collect(JsonNode elements, Expr right, JmesFunctions.Env env) throws JmesException {
    ArrayNode out = NODES.arrayNode();
    for (JsonNode e : elements) {
      JsonNode r = right.eval(e, env);
      if (!r.isNull()) {
        out.add(r);
      }
    }
    return out;
  }

  private static JsonNode compare(T op, JsonNode l, JsonNode r) {
    if (op == T.EQ || op == T.NE) {
      return BooleanNode.valueOf(jsonEquals(l, r) == (op == T.EQ));
    }
    if (!l.isNumber() || !r.isNumber()) {
      return NullNode.instance;
    }
    int c = Double.compare(l.asDouble(), r.asDouble());
    return BooleanNode.valueOf(switch (op) {
      case LT -> c < 0;
      case LTE -> c <= 0;
      case GT -> c > 0;
      default -> c >= 0;
    });
  }

  /** JSON equality with numbers compared by value ({@code 1} equals {@code 1.0}). */
  static boolean jsonEquals(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!jsonEquals(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (a.isObject() && b.isObject()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) a::fields) {
        JsonNode o = b.get(e.getKey());
        if (o == null || !jsonEquals(e.getValue(), o)) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }

  /** JMESPath's truth: false, null, and empty strings, lists and objects are false. */
  static boolean truthy(JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      return false;
    }
    if (v.isBoolean()) {
      return v.asBoolean();
    }
    if (v.isTextual()) {
      return !v.asText().isEmpty();
    }
    if (v.isContainerNode()) {
      return v.size() > 0;
    }
    return true;
  }
}
