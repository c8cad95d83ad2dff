package dev.airseal.crypto;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * ECMAScript Number::toString for finite doubles, as RFC 8785 section 3.2.2.3 requires.
 *
 * <p>Java 17's Double.toString does not always produce the shortest digits (JDK-4511638, fixed in
 * 19), so the digits are found here: the first precision whose nearest decimal parses back to the
 * same double is the shortest, and being nearest it is the one ECMAScript picks among equals.
 */
final class EcmaNumbers {
  private EcmaNumbers() {}

  static String toString(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw new IllegalArgumentException("JCS cannot represent " + d);
    }
    if (d == 0) {
      return "0"; // also -0, as ECMAScript prints it
    }
    String sign = d < 0 ? "-" : "";
    BigDecimal exact = new BigDecimal(Math.abs(d));
    BigDecimal shortest = null;
    for (int precision = 1; precision <= 17; precision++) {
      BigDecimal candidate = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
      if (candidate.doubleValue() == Math.abs(d)) {
        shortest = candidate;
        break;
      }
    }
    if (shortest == null) {
      throw new IllegalStateException("no round-trip decimal for " + d);
    }
    shortest = shortest.stripTrailingZeros();
    String digits = shortest.unscaledValue().toString();
    int k = digits.length();
    // value = digits × 10^(n − k)
    int n = k - shortest.scale();
    StringBuilder out = new StringBuilder(sign);
    if (k <= n && n <= 21) {
      out.append(digits).append("0".repeat(n - k));
    } else if (0 < n && n <= 21) {
      out.append(digits, 0, n).append('.').append(digits, n, k);
    } else if (-6 < n && n <= 0) {
      out.append("0.").append("0".repeat(-n)).append(digits);
    } else {
      out.append(digits.charAt(0));
      if (k > 1) {
        out.append('.').append(digits, 1, k);
      }
      int e = n - 1;
      out.append('e').append(e < 0 ? '-' : '+').append(Math.abs(e));
    }
    return out.toString();
  }
}
