package dev.airseal.policy;

import dev.airseal.oci.Digest;
import dev.airseal.oci.ImageReference;
import dev.airseal.trust.TrustedRoot;
import dev.airseal.verify.oci.ImageSource;
import java.time.Instant;

/** One {@code verifyImages} entry of one rule, selected for one image. */
record KyvernoCheck(KyvernoPolicy policyModel, KyvernoPolicy.Rule ruleModel, KyvernoPolicy.VerifyImages entry)
    implements ImageCheck {
  @Override
  public String policy() {
    return policyModel.displayName();
  }

  @Override
  public String rule() {
    return ruleModel.name();
  }

  @Override
  public boolean enforce() {
    return entry.enforce();
  }

  @Override
  public boolean mutateDigest() {
    return entry.mutateDigest();
  }

  @Override
  public boolean verifyDigest() {
    return entry.verifyDigest();
  }

  @Override
  public boolean required() {
    return entry.required();
  }

  @Override
  public int timeoutSeconds() {
    return policyModel.timeoutSeconds();
  }

  @Override
  public boolean failOpen() {
    return policyModel.failOpen();
  }

  @Override
  public CheckResult verify(ImageReference image, Digest digest, ImageSource source, TrustedRoot root, Instant now) {
    return RuleVerifier.verify(entry, image, digest, source, root, now, dev.airseal.verify.VerificationPolicy.DEFAULT_CLOCK_SKEW);
  }

  @Override
  public CheckResult verify(
      ImageReference image, Digest digest, ImageSource source, TrustedRoot root, Instant now,
      java.time.Duration clockSkew) {
    return RuleVerifier.verify(entry, image, digest, source, root, now, clockSkew);
  }
}
