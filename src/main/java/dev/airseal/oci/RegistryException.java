package dev.airseal.oci;

/** A registry refused or failed a request; the message names the request and the answer. */
public class RegistryException extends java.io.IOException {
  private final int status;

  public RegistryException(int status, String message) {
    super(message);
    this.status = status;
  }

  public RegistryException(String message, Throwable cause) {
    super(message, cause);
    this.status = -1;
  }

  public int status() {
    return status;
  }
}
