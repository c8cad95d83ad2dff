package dev.airseal.policy;

import java.util.regex.Pattern;

/**
 * Kyverno's wildcard patterns (pkg/utils/wildcard): {@code *} matches any sequence, path
 * separators included; {@code ?} matches one character; everything else matches itself. No
 * escaping, no character classes.
 */
final class Wildcards {
  private Wildcards() {}

  static boolean match(String pattern, String name) {
    int px = 0;
    int nx = 0;
    int starPx = -1;
    int starNx = 0;
    while (nx < name.length()) {
      if (px < pattern.length()) {
        char p = pattern.charAt(px);
        if (p == '*') {
          px++;
          if (px == pattern.length()) {
            return true;
          }
          starPx = px;
          starNx = nx;
          continue;
        }
        if (p == '?' || p == name.charAt(nx)) {
          px++;
          nx++;
          continue;
        }
      }
      if (starPx < 0) {
        return false;
      }
      starNx++;
      px = starPx;
      nx = starNx;
    }
    while (px < pattern.length() && pattern.charAt(px) == '*') {
      px++;
    }
    return px == pattern.length();
  }

  static boolean isPattern(String s) {
    return s.indexOf('*') >= 0 || s.indexOf('?') >= 0;
  }

  /** The same pattern as a {@link java.util.regex} for the whole value. */
  static String toRegex(String pattern) {
    StringBuilder sb = new StringBuilder();
    StringBuilder lit = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      if (c == '*' || c == '?') {
        if (lit.length() > 0) {
          sb.append(Pattern.quote(lit.toString()));
          lit.setLength(0);
        }
        sb.append(c == '*' ? ".*" : ".");
      } else {
        lit.append(c);
      }
    }
    if (lit.length() > 0) {
      sb.append(Pattern.quote(lit.toString()));
    }
    return sb.toString();
  }
}
