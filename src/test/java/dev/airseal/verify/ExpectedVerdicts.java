package dev.airseal.verify;

import static org.junit.jupiter.api.Assertions.fail;

import dev.airseal.testing.Tally;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compares verdicts with a suite's expectations, honouring a set of known gaps: cases we still get
 * wrong, each with a reason. A gap that starts passing fails the run too, so the set only shrinks.
 */
final class ExpectedVerdicts {
  private final Tally tally;
  private final Map<String, String> knownGaps;
  private final Set<String> gapsSeen = ConcurrentHashMap.newKeySet();

  ExpectedVerdicts(String suite, Map<String, String> knownGaps) {
    this.tally = new Tally(suite);
    this.knownGaps = Map.copyOf(knownGaps);
  }

  void check(String name, boolean expectPass, Verdict verdict) {
    boolean right = verdict.allowed() == expectPass;
    String gap = knownGaps.get(name);
    if (gap != null) {
      gapsSeen.add(name);
      if (right) {
        fail(name + " is listed in KNOWN_GAPS (" + gap + ") but now gives the right verdict: remove it\n"
            + verdict);
      }
      return;
    }
    if (!right) {
      fail(name + ": expected " + (expectPass ? "ALLOW" : "DENY") + ", got " + verdict);
    }
    if (expectPass) {
      tally.passed();
    } else {
      tally.rejected();
    }
  }

  void print() {
    tally.print();
    for (String name : new TreeSet<>(gapsSeen)) {
      System.out.println("  KNOWN GAP " + name + ": " + knownGaps.get(name));
    }
  }
}
