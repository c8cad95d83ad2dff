package dev.airseal.tuf;

import java.time.Duration;

/**
 * How long each role's metadata stays valid after it is signed. A role is re-signed once less than
 * half of its lifetime remains, so clients always see at least half a lifetime of validity.
 */
public record Expiries(Duration root, Duration targets, Duration snapshot, Duration timestamp) {
  public Expiries {
    for (Duration d : new Duration[] {root, targets, snapshot, timestamp}) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("every TUF expiry must be positive: " + d);
      }
    }
  }

  public Duration of(String role) {
    return switch (role) {
      case TufRepository.ROOT -> root;
      case TufRepository.TARGETS -> targets;
      case TufRepository.SNAPSHOT -> snapshot;
      case TufRepository.TIMESTAMP -> timestamp;
      default -> throw new IllegalArgumentException("no TUF role " + role);
    };
  }
}
