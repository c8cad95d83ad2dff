package dev.airseal.policy;

import java.util.List;
import java.util.Optional;

/**
 * One image checked against one {@code verifyImages} rule. {@code message} is what a denial says
 * (Kyverno style: the image, the rule and the failed check); {@code details} are the per-signature
 * reasons and notes such as "rekor.url ignored: the site trust root is used".
 *
 * @param digest the verified digest, when the image passed
 */
public record CheckResult(boolean passed, String message, List<String> details, Optional<String> digest) {
  public CheckResult {
    details = List.copyOf(details);
  }
}
