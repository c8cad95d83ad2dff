package dev.airseal.log.rekor.kind;

/**
 * A proposed entry the log refuses. The message is shown to the client in a 400 response, so it
 * names the field and the evidence, never a stack trace.
 */
public class InvalidEntryException extends Exception {
  private static final long serialVersionUID = 1L;

  public InvalidEntryException(String message) {
    super(message);
  }

  public InvalidEntryException(String message, Throwable cause) {
    super(message, cause);
  }
}
