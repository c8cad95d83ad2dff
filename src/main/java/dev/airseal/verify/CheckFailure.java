package dev.airseal.verify;

/** A failed check inside the verifier; {@link BundleVerifier} turns it into a denial reason. */
final class CheckFailure extends Exception {
  private static final long serialVersionUID = 1L;
  private final String check;

  CheckFailure(String check, String message) {
    super(message);
    this.check = check;
  }

  CheckFailure(String check, String message, Throwable cause) {
    super(message, cause);
    this.check = check;
  }

  String check() {
    return check;
  }

  Reason reason() {
    return new Reason(check, getMessage());
  }
}
