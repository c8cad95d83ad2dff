package dev.airseal.trust;

import java.time.Instant;
import java.util.Objects;

/**
 * A validity window from a trusted root ({@code dev.sigstore.common.v1.TimeRange}). Both ends are
 * inclusive: protobuf-specs says so for keys and CAs, and the conformance case
 * {@code trust-root-tlog-validity-end-inclusive} accepts an entry integrated exactly at the end.
 *
 * @param start required; a window without a start is malformed, not unbounded (conformance case
 *     {@code trust-root-tlog-missing-validity-start_fail})
 * @param end {@code null} for an instance still in use
 */
public record ValidFor(Instant start, Instant end) {
  public ValidFor {
    Objects.requireNonNull(start, "validFor.start");
    if (end != null && end.isBefore(start)) {
      throw new IllegalArgumentException("validFor.end " + end + " is before validFor.start " + start);
    }
  }

  public static ValidFor from(Instant start) {
    return new ValidFor(start, null);
  }

  public boolean contains(Instant t) {
    return !t.isBefore(start) && (end == null || !t.isAfter(end));
  }

  @Override
  public String toString() {
    return start + " to " + (end == null ? "(open)" : end);
  }
}
