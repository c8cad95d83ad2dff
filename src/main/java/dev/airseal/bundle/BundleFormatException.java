package dev.airseal.bundle;

/**
 * A bundle that is not a well-formed transfer bundle: hostile or damaged archives, a manifest that
 * does not match the blobs. The whole bundle is refused; the message says what was wrong.
 */
public class BundleFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  public BundleFormatException(String message) {
    super(message);
  }
}
