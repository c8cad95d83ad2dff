package dev.airseal.log.sequencer;

/** The log already holds an entry with the same leaf hash (Rekor answers 409 with its location). */
public class DuplicateEntryException extends RuntimeException {
  private final long existingIndex;

  public DuplicateEntryException(long existingIndex) {
    super("an equivalent entry already exists in the log at index " + existingIndex);
    this.existingIndex = existingIndex;
  }

  public long existingIndex() {
    return existingIndex;
  }
}
