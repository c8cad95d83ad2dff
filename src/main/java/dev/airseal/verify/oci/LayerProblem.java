package dev.airseal.verify.oci;

import dev.airseal.verify.Reason;

/** A signature layer or referrer that cannot be verified as found; becomes a denial reason. */
final class LayerProblem extends Exception {
  private static final long serialVersionUID = 1L;
  private final String check;

  LayerProblem(String check, String message) {
    super(message);
    this.check = check;
  }

  Reason reason() {
    return new Reason(check, getMessage());
  }
}
