package dev.airseal.verify;

/**
 * An upstream log's checkpoint or consistency proof that must not be accepted: a signature no
 * trusted log key makes, a key outside its validity window, or a tree that does not extend the one
 * seen before (a rollback or a split view of the log).
 */
public class UpstreamLogException extends Exception {
  private static final long serialVersionUID = 1L;

  public UpstreamLogException(String message) {
    super(message);
  }

  public UpstreamLogException(String message, Throwable cause) {
    super(message, cause);
  }
}
