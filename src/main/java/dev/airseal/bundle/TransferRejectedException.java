package dev.airseal.bundle;

/**
 * A well-formed bundle this site must not import: unknown signer, replayed or rolled-back sequence,
 * broken hash chain, expired. The whole bundle is refused.
 */
public class TransferRejectedException extends Exception {
  private static final long serialVersionUID = 1L;

  public TransferRejectedException(String message) {
    super(message);
  }
}
