package dev.airseal.log.store;

/** The database failed; the operation had no effect. */
public class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
