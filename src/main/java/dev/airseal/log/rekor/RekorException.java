package dev.airseal.log.rekor;

import java.util.Map;

/** An API error answered in Rekor's shape: {@code {"code": N, "message": "..."}}. */
public class RekorException extends RuntimeException {
  private final int status;
  private final Map<String, String> headers;

  public RekorException(int status, String message) {
    this(status, message, Map.of());
  }

  public RekorException(int status, String message, Map<String, String> headers) {
    super(message);
    this.status = status;
    this.headers = headers;
  }

  public int status() {
    return status;
  }

  public Map<String, String> headers() {
    return headers;
  }
}
