package dev.airseal.signing.pkcs11;

/**
 * A PKCS#11 key or token could not be used. Messages name the token, the object and what the token
 * holds instead, and never a PIN: they end up in logs and in the operator's terminal.
 */
public final class Pkcs11Exception extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public Pkcs11Exception(String message) {
    super(message);
  }

  public Pkcs11Exception(String message, Throwable cause) {
    super(message, cause);
  }
}
