package dev.airseal.verify;

import java.util.Objects;

/**
 * One finding of a verification: the check that ran and the evidence it saw, e.g. {@code
 * tlog.inclusionProof: calculated root 3f2a… does not match checkpoint root 9b1c…}.
 */
public record Reason(String check, String evidence) {
  public Reason {
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(evidence, "evidence");
  }

  @Override
  public String toString() {
    return check + ": " + evidence;
  }
}
