package dev.airseal.signing.awskms;

/**
 * A KMS call failed or answered something we cannot sign with. The message names the key and the
 * operation; it never carries credentials, and service errors are not chained because their text
 * may echo the signed request (a session token is a signed header).
 */
public final class KmsSignerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String key;
  private final String operation;

  public KmsSignerException(String key, String operation, String reason) {
    super("AWS KMS " + operation + " for " + key + ": " + reason);
    this.key = key;
    this.operation = operation;
  }

  public KmsSignerException(String key, String operation, String reason, Throwable cause) {
    super("AWS KMS " + operation + " for " + key + ": " + reason, cause);
    this.key = key;
    this.operation = operation;
  }

  /** The key reference, as {@code awskms://…}. */
  public String key() {
    return key;
  }

  /** The KMS operation, e.g. {@code Sign}. */
  public String operation() {
    return operation;
  }
}
