package dev.airseal.policy;

import java.util.List;

/**
 * {@code attestors[]}: {@code count} of the entries must verify; without a count, all of them
 * (Kyverno's {@code RequiredCount}). Several PEM keys in one {@code publicKeys} are already
 * split into one entry each, as Kyverno's {@code ExpandStaticKeys} does.
 */
record AttestorSet(int required, List<Attestor> entries) {
  AttestorSet {
    entries = List.copyOf(entries);
  }
}
