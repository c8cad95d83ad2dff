package dev.airseal.verify;

import dev.airseal.verify.x509.IdentityPolicy;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a bundle must prove besides its own consistency: either that a given key signed it, or that
 * a Fulcio certificate with a given identity did. Exactly one of the two is set.
 *
 * @param key the signer's key, for key-based ("managed key") bundles
 * @param identity the certificate identity and issuer, for keyless bundles
 * @param sctThreshold how many valid SCTs the leaf certificate must carry (0 waives the check)
 * @param now the verifier's clock: log integration times after it (plus the skew) are refused
 * @param clockSkew how far the log's clock may run ahead of ours
 */
public record VerificationPolicy(
    Optional<PublicKey> key, Optional<IdentityPolicy> identity, int sctThreshold, Instant now, Duration clockSkew) {
  /** The default skew window ({@code airseal.verify.clock-skew}). */
  public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);

  public VerificationPolicy(Optional<PublicKey> key, Optional<IdentityPolicy> identity, int sctThreshold, Instant now) {
    this(key, identity, sctThreshold, now, DEFAULT_CLOCK_SKEW);
  }

  public VerificationPolicy {
    Objects.requireNonNull(clockSkew, "clockSkew");
    if (clockSkew.isNegative()) {
      throw new IllegalArgumentException("clockSkew must not be negative: " + clockSkew);
    }
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(now, "now");
    if (key.isPresent() == identity.isPresent()) {
      throw new IllegalArgumentException("a policy names either a key or an identity, not both");
    }
    if (sctThreshold < 0) {
      throw new IllegalArgumentException("sctThreshold must not be negative: " + sctThreshold);
    }
  }

  public static VerificationPolicy forKey(PublicKey key) {
    return new VerificationPolicy(
        Optional.of(key), Optional.empty(), 0, Instant.now());
  }

  public static VerificationPolicy forIdentity(IdentityPolicy identity) {
    return new VerificationPolicy(Optional.empty(), Optional.of(identity), 1, Instant.now());
  }

  /** Waives the SCT requirement, e.g. for a private Fulcio without a CT log. */
  public VerificationPolicy withoutScts() {
    return new VerificationPolicy(key, identity, 0, now, clockSkew);
  }

  public VerificationPolicy at(Instant clock) {
    return new VerificationPolicy(key, identity, sctThreshold, clock, clockSkew);
  }

  public VerificationPolicy withClockSkew(Duration skew) {
    return new VerificationPolicy(key, identity, sctThreshold, now, skew);
  }
}
