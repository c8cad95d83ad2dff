package dev.airseal.log.checkpoint;

import dev.airseal.log.note.NoteException;

/** A validly signed checkpoint of another log: its origin line is not the one we expect. */
public class CheckpointOriginException extends NoteException {
  private final String expected;
  private final String found;

  public CheckpointOriginException(String expected, String found) {
    super("checkpoint origin \"" + found + "\" is not the expected \"" + expected + "\"");
    this.expected = expected;
    this.found = found;
  }

  public String expected() {
    return expected;
  }

  public String found() {
    return found;
  }
}
