package dev.airseal.trust;

/** A trusted root we refuse to use; the message names the offending field path. */
public class TrustRootException extends Exception {
  public TrustRootException(String message) {
    super(message);
  }

  public TrustRootException(String message, Throwable cause) {
    super(message, cause);
  }
}
