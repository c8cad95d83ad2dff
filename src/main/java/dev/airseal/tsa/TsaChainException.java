package dev.airseal.tsa;

/** A TSA certificate chain that cannot be used: unreadable, mis-issued, expired or for another key. */
public final class TsaChainException extends Exception {
  private static final long serialVersionUID = 1L;

  public TsaChainException(String message) {
    super(message);
  }

  public TsaChainException(String message, Throwable cause) {
    super(message, cause);
  }
}
