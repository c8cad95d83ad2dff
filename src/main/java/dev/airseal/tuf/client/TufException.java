package dev.airseal.tuf.client;

/** Upstream TUF metadata that must not be trusted; the message says which rule it broke. */
public final class TufException extends Exception {
  private static final long serialVersionUID = 1L;

  public TufException(String message) {
    super(message);
  }
}
