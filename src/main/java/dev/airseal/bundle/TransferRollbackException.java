package dev.airseal.bundle;

/** A sequence number at or below the last one imported from the producer: a replay or rollback. */
public final class TransferRollbackException extends TransferRejectedException {
  private static final long serialVersionUID = 1L;
  private final long current;
  private final long found;

  public TransferRollbackException(String producer, long current, long found) {
    super("sequence " + found + " of producer " + producer + " is not above the last imported sequence "
        + current + (found == current ? " (a different bundle with the same sequence: replay or forgery)"
            : " (rollback)"));
    this.current = current;
    this.found = found;
  }

  public long current() {
    return current;
  }

  public long found() {
    return found;
  }
}
