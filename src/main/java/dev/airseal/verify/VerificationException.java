package dev.airseal.verify;

/**
 * Evidence did not verify. The message is the evidence, e.g. {@code "certificate not valid at
 * 2024-01-01T00:00:00Z: valid 2023-05-01T10:00:00Z to 2023-05-01T10:10:00Z"}, so that an operator
 * reading a denial can see what to fix without re-running anything.
 */
public class VerificationException extends Exception {
  public VerificationException(String message) {
    super(message);
  }

  public VerificationException(String message, Throwable cause) {
    super(message, cause);
  }
}
