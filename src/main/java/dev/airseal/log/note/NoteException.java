package dev.airseal.log.note;

/** A signed note that must not be trusted: malformed, or not signed by a key we know. */
public class NoteException extends Exception {
  public NoteException(String message) {
    super(message);
  }

  public NoteException(String message, Throwable cause) {
    super(message, cause);
  }
}
