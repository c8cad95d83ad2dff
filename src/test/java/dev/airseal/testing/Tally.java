package dev.airseal.testing;

import java.util.concurrent.atomic.AtomicInteger;

/** Counts the verdicts of one vector suite, printed once after the suite has run. */
public final class Tally {
  private final String suite;
  private final AtomicInteger pass = new AtomicInteger();
  private final AtomicInteger rejected = new AtomicInteger();
  private final AtomicInteger other = new AtomicInteger();

  public Tally(String suite) {
    this.suite = suite;
  }

  /** A case expected to verify that did. */
  public void passed() {
    pass.incrementAndGet();
  }

  /** A case expected to be rejected that was. */
  public void rejected() {
    rejected.incrementAndGet();
  }

  /** A case that is neither (parse-only, data checks). */
  public void checked() {
    other.incrementAndGet();
  }

  /** Prints e.g. "transparency-dev-merkle inclusion: 98 cases, 6 pass, 92 rejected as expected". */
  public void print() {
    int total = pass.get() + rejected.get() + other.get();
    if (total == 0) {
      return;
    }
    String extra = other.get() == 0 ? "" : ", " + other.get() + " checked";
    System.out.printf(
        "%s: %d cases, %d pass, %d rejected as expected%s%n",
        suite, total, pass.get(), rejected.get(), extra);
  }
}
