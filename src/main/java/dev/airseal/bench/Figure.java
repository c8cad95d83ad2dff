package dev.airseal.bench;

import java.util.Locale;

/** One headline number and the target it is held to. */
public record Figure(String name, double value, String unit, double target, boolean atLeast) {

  public static Figure atLeast(String name, double value, String unit, double target) {
    return new Figure(name, value, unit, target, true);
  }

  public static Figure atMost(String name, double value, String unit, double target) {
    return new Figure(name, value, unit, target, false);
  }

  public boolean met() {
    return atLeast ? value >= target : value <= target;
  }

  public String line() {
    return String.format(
        Locale.ROOT,
        "%-52s %12.3f %-9s target %s %,.3f  %s",
        name,
        value,
        unit,
        atLeast ? ">=" : "<=",
        target,
        met() ? "PASS" : "MISS");
  }
}
