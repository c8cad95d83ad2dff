package dev.airseal.verify;

import dev.airseal.verify.x509.IdentityPolicy;
import java.security.PublicKey;
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
 * @param now the verifier's clock: log integration times after it are refused
 */
public record VerificationPolicy(
    Optional<PublicKey> key, Optional<IdentityPolicy> identity, int sctThreshold, Instant now) {
  public VerificationPolicy {
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
    return new VerificationPolicy(key, identity, 0, now);
  }

  public VerificationPolicy at(Instant clock) {
    return new VerificationPolicy(key, identity, sctThreshold, clock);
  }
}
