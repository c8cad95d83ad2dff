package dev.airseal.backup;

/** A backup that cannot be made, or an archive or target that a restore refuses. */
public class BackupException extends RuntimeException {
  public BackupException(String message) {
    super(message);
  }

  public BackupException(String message, Throwable cause) {
    super(message, cause);
  }
}
