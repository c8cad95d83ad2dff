package dev.airseal.log;

/** A Merkle proof or checkpoint that does not prove what it claims. */
public class LogProofException extends Exception {
  public LogProofException(String message) {
    super(message);
  }

  public LogProofException(String message, Throwable cause) {
    super(message, cause);
  }
}
