package dev.airseal.verify;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of a verification. A denial names at least one failed check; an allowance lists the
 * checks that passed, so an audit log can show what was proven.
 */
public record Verdict(Decision decision, List<Reason> reasons) {
  public enum Decision {
    ALLOW,
    DENY
  }

  public Verdict {
    Objects.requireNonNull(decision, "decision");
    reasons = List.copyOf(reasons);
    if (decision == Decision.DENY && reasons.isEmpty()) {
      throw new IllegalArgumentException("a denial must give a reason");
    }
  }

  public static Verdict allow(List<Reason> reasons) {
    return new Verdict(Decision.ALLOW, reasons);
  }

  public static Verdict deny(List<Reason> reasons) {
    return new Verdict(Decision.DENY, reasons);
  }

  public static Verdict deny(String check, String evidence) {
    return deny(List.of(new Reason(check, evidence)));
  }

  public boolean allowed() {
    return decision == Decision.ALLOW;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(decision.name());
    for (Reason r : reasons) {
      sb.append("\n  ").append(r);
    }
    return sb.toString();
  }
}
