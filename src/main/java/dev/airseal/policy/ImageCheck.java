package dev.airseal.policy;

import dev.airseal.oci.Digest;
import dev.airseal.oci.ImageReference;
import dev.airseal.trust.TrustedRoot;
import dev.airseal.verify.oci.ImageSource;
import java.time.Instant;

/**
 * One {@code verifyImages} entry of one rule, selected for one image of one request: what admission
 * runs. Verification is offline: signatures come from {@code source} (the evidence store or the
 * site registry), trust from {@code root}.
 */
public interface ImageCheck {
  String policy();

  String rule();

  /** {@code validationFailureAction: Enforce} (deny) rather than Audit (allow with a warning). */
  boolean enforce();

  boolean mutateDigest();

  boolean verifyDigest();

  boolean required();

  /** The rule's {@code webhookTimeoutSeconds} (Kyverno's default, 10, when unset). */
  int timeoutSeconds();

  /** {@code failurePolicy: Ignore}: internal errors allow instead of deny (default: fail closed). */
  boolean failOpen();

  CheckResult verify(ImageReference image, Digest digest, ImageSource source, TrustedRoot root, Instant now);

  /** As the five-argument form, tolerating a log clock up to {@code clockSkew} ahead of {@code now}. */
  default CheckResult verify(
      ImageReference image, Digest digest, ImageSource source, TrustedRoot root, Instant now,
      java.time.Duration clockSkew) {
    return verify(image, digest, source, root, now);
  }
}
