package dev.airseal.policy;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Go's {@code time.ParseDuration} and {@code Duration.String()}, in nanoseconds: Kyverno compares
 * durations such as {@code "168h"} and prints {@code time_since} results this way.
 */
final class GoDurations {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");
  private static final long SECOND = 1_000_000_000L;

  private GoDurations() {}

  static Optional<Long> parse(String s) {
    if (s == null || s.isEmpty()) {
      return Optional.empty();
    }
    String rest = s;
    int sign = 1;
    if (rest.startsWith("-") || rest.startsWith("+")) {
      sign = rest.startsWith("-") ? -1 : 1;
      rest = rest.substring(1);
    }
    if (rest.equals("0")) {
      return Optional.of(0L);
    }
    Matcher m = PART.matcher(rest);
    int at = 0;
    BigDecimal total = BigDecimal.ZERO;
    while (at < rest.length()) {
      if (!m.find(at) || m.start() != at) {
        return Optional.empty();
      }
      long unit = switch (m.group(2)) {
        case "ns" -> 1L;
        case "us", "µs", "μs" -> 1_000L;
        case "ms" -> 1_000_000L;
        case "s" -> SECOND;
        case "m" -> 60 * SECOND;
        default -> 3600 * SECOND;
      };
      total = total.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit)));
      at = m.end();
    }
    return at == 0 ? Optional.empty() : Optional.of(sign * total.longValue());
  }

  static String format(long nanos) {
    if (nanos == 0) {
      return "0s";
    }
    String sign = nanos < 0 ? "-" : "";
    long u = Math.abs(nanos);
    if (u < SECOND) {
      if (u < 1_000L) {
        return sign + u + "ns";
      }
      if (u < 1_000_000L) {
        return sign + fraction(u, 1_000L) + "µs";
      }
      return sign + fraction(u, 1_000_000L) + "ms";
    }
    long h = u / (3600 * SECOND);
    u -= h * 3600 * SECOND;
    long m = u / (60 * SECOND);
    u -= m * 60 * SECOND;
    String secs = fraction(u, SECOND) + "s";
    if (h > 0) {
      return sign + h + "h" + m + "m" + secs;
    }
    if (m > 0) {
      return sign + m + "m" + secs;
    }
    return sign + secs;
  }

  private static String fraction(long v, long unit) {
    BigDecimal d = BigDecimal.valueOf(v).divide(BigDecimal.valueOf(unit)).stripTrailingZeros();
    return d.scale() <= 0 ? d.toBigInteger().toString() : d.toPlainString();
  }
}
