package dev.airseal.log.note;

/** A well-formed note whose signatures do not prove that a known key signed it. */
public class NoteSignatureException extends NoteException {
  public NoteSignatureException(String message) {
    super(message);
  }

  public NoteSignatureException(String message, Throwable cause) {
    super(message, cause);
  }
}
