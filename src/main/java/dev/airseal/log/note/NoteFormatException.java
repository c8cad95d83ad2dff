package dev.airseal.log.note;

/** A note or verifier key that does not follow c2sp.org/signed-note; nothing was verified. */
public class NoteFormatException extends NoteException {
  public NoteFormatException(String message) {
    super(message);
  }

  public NoteFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
