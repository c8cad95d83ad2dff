package dev.airseal.log.checkpoint;

import dev.airseal.log.note.NoteFormatException;

/** Note text that is not a c2sp.org/tlog-checkpoint body. */
public class CheckpointFormatException extends NoteFormatException {
  public CheckpointFormatException(String message) {
    super(message);
  }

  public CheckpointFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
