package dev.airseal.signing.soft;

import java.io.IOException;

/**
 * A key file we cannot use: unreadable, of a format or key type we do not accept, or encrypted
 * under a different password. The message is meant for the operator and never contains the password
 * or key material.
 */
public class KeyFileException extends IOException {
  public KeyFileException(String message) {
    super(message);
  }

  public KeyFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
