package dev.airseal.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kyverno's condition operators (pkg/engine/variables/operator): string values are wildcard
 * patterns for Equals and the In family; ordering compares durations ({@code "168h"}), numbers
 * or semantic versions, whichever both sides are.
 */
final class Operators {
  enum Op {
    EQUALS("Equals"), NOT_EQUALS("NotEquals"), IN("In"), ANY_IN("AnyIn"), ALL_IN("AllIn"), NOT_IN("NotIn"),
    ANY_NOT_IN("AnyNotIn"), ALL_NOT_IN("AllNotIn"), GREATER_THAN("GreaterThan"),
    GREATER_THAN_OR_EQUALS("GreaterThanOrEquals"), LESS_THAN("LessThan"), LESS_THAN_OR_EQUALS("LessThanOrEquals"),
    DURATION_GREATER_THAN("DurationGreaterThan"), DURATION_GREATER_THAN_OR_EQUALS("DurationGreaterThanOrEquals"),
    DURATION_LESS_THAN("DurationLessThan"), DURATION_LESS_THAN_OR_EQUALS("DurationLessThanOrEquals");

    private final String name;

    Op(String name) {
      this.name = name;
    }

    String kyvernoName() {
      return name;
    }
  }

  static final String NAMES = String.join(", ", Arrays.stream(Op.values()).map(Op::kyvernoName).toList());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SEMVER = Pattern.compile("v?(\\d+)\\.(\\d+)\\.(\\d+)(?:[-+].*)?");

  private Operators() {}

  /** Case-insensitive, as Kyverno reads operator names. */
  static Optional<Op> parse(String name) {
    return Arrays.stream(Op.values()).filter(o -> o.kyvernoName().equalsIgnoreCase(name)).findFirst();
  }

  static boolean evaluate(Op op, JsonNode key, JsonNode value) {
    return switch (op) {
      case EQUALS -> equal(key, value);
      case NOT_EQUALS -> !equal(key, value);
      case IN, ALL_IN -> elements(key).stream().allMatch(k -> in(k, value));
      case NOT_IN -> !elements(key).stream().allMatch(k -> in(k, value));
      case ANY_IN -> elements(key).stream().anyMatch(k -> in(k, value));
      case ANY_NOT_IN -> elements(key).stream().anyMatch(k -> !in(k, value));
      case ALL_NOT_IN -> elements(key).stream().noneMatch(k -> in(k, value));
      case GREATER_THAN -> order(key, value, false).map(c -> c > 0).orElse(false);
      case GREATER_THAN_OR_EQUALS -> order(key, value, false).map(c -> c >= 0).orElse(false);
      case LESS_THAN -> order(key, value, false).map(c -> c < 0).orElse(false);
      case LESS_THAN_OR_EQUALS -> order(key, value, false).map(c -> c <= 0).orElse(false);
      case DURATION_GREATER_THAN -> order(key, value, true).map(c -> c > 0).orElse(false);
      case DURATION_GREATER_THAN_OR_EQUALS -> order(key, value, true).map(c -> c >= 0).orElse(false);
      case DURATION_LESS_THAN -> order(key, value, true).map(c -> c < 0).orElse(false);
      case DURATION_LESS_THAN_OR_EQUALS -> order(key, value, true).map(c -> c <= 0).orElse(false);
    };
  }

  /** Equality, with a string value matched as a wildcard pattern and numbers by value. */
  static boolean equal(JsonNode key, JsonNode value) {
    if (key.isContainerNode() || value.isContainerNode()) {
      return JmesPath.jsonEquals(key, value);
    }
    Optional<Long> dk = duration(key);
    Optional<Long> dv = duration(value);
    if (dk.isPresent() && dv.isPresent() && (key.isTextual() || value.isTextual())) {
      return dk.get().equals(dv.get());
    }
    Optional<BigDecimal> nk = number(key);
    Optional<BigDecimal> nv = number(value);
    if (nk.isPresent() && nv.isPresent()) {
      return nk.get().compareTo(nv.get()) == 0;
    }
    if (key.isNull() || value.isNull()) {
      return key.isNull() && value.isNull();
    }
    if (value.isTextual()) {
      return Wildcards.match(value.asText(), key.asText());
    }
    return key.asText().equals(value.asText());
  }

  private static boolean in(JsonNode k, JsonNode value) {
    return elements(listValue(value)).stream().anyMatch(v -> equal(k, v));
  }

  /** A value for the In family: a list, or a string holding a JSON list, else the one value. */
  private static JsonNode listValue(JsonNode value) {
    if (value.isTextual() && value.asText().trim().startsWith("[")) {
      try {
        JsonNode parsed = JSON.readTree(value.asText());
        if (parsed != null && parsed.isArray()) {
          return parsed;
        }
      } catch (IOException e) {
        return value;
      }
    }
    return value;
  }

  private static List<JsonNode> elements(JsonNode v) {
    List<JsonNode> out = new ArrayList<>();
    if (v.isArray()) {
      v.forEach(out::add);
    } else {
      out.add(v);
    }
    return out;
  }

  private static Optional<Integer> order(JsonNode key, JsonNode value, boolean durationsOnly) {
    Optional<Long> dk = duration(key);
    Optional<Long> dv = duration(value);
    if (dk.isPresent() && dv.isPresent()) {
      return Optional.of(Long.compare(dk.get(), dv.get()));
    }
    if (durationsOnly) {
      return Optional.empty();
    }
    Optional<BigDecimal> nk = number(key);
    Optional<BigDecimal> nv = number(value);
    if (nk.isPresent() && nv.isPresent()) {
      return Optional.of(nk.get().compareTo(nv.get()));
    }
    Optional<long[]> sk = semver(key);
    Optional<long[]> sv = semver(value);
    if (sk.isPresent() && sv.isPresent()) {
      return Optional.of(Arrays.compare(sk.get(), sv.get()));
    }
    return Optional.empty();
  }

  /** A duration string, or a number of seconds when compared against one (Kyverno's rule). */
  private static Optional<Long> duration(JsonNode v) {
    if (v.isTextual()) {
      return GoDurations.parse(v.asText().trim());
    }
    if (v.isNumber()) {
      return Optional.of(v.decimalValue().multiply(BigDecimal.valueOf(1_000_000_000L)).longValue());
    }
    return Optional.empty();
  }

  private static Optional<BigDecimal> number(JsonNode v) {
    if (v.isNumber()) {
      return Optional.of(v.decimalValue());
    }
    if (v.isTextual()) {
      try {
        return Optional.of(new BigDecimal(v.asText().trim()));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  private static Optional<long[]> semver(JsonNode v) {
    if (!v.isTextual()) {
      return Optional.empty();
    }
    Matcher m = SEMVER.matcher(v.asText().trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))});
  }
}
