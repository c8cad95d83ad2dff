package dev.airseal.log.checkpoint;

import dev.airseal.log.note.NoteException;
import dev.airseal.log.note.NoteVerifier;
import dev.airseal.log.note.SignedNote;
import dev.airseal.log.note.VerifiedNote;
import java.util.List;

/**
 * Opens signed checkpoints. For Rekor v1 the origin is {@code <hostname> - <treeID>} and the
 * signature's key name is the hostname.
 */
public final class Checkpoints {
  private Checkpoints() {}

  /**
   * Verifies {@code signedNote} with {@code verifier} and parses its text as a checkpoint.
   *
   * @param expectedOrigin the origin line the checkpoint must carry, or null to accept any
   * @throws NoteException if the note is malformed or not signed by {@code verifier} ({@link
   *     dev.airseal.log.note.NoteFormatException}, {@link
   *     dev.airseal.log.note.NoteSignatureException}), or it is another log's checkpoint ({@link
   *     CheckpointOriginException})
   */
  public static Checkpoint verify(String signedNote, NoteVerifier verifier, String expectedOrigin)
      throws NoteException {
    return verify(signedNote, List.of(verifier), expectedOrigin);
  }

  /** As {@link #verify(String, NoteVerifier, String)}, accepting a signature by any of the keys. */
  public static Checkpoint verify(
      String signedNote, List<NoteVerifier> verifiers, String expectedOrigin) throws NoteException {
    // Parse only text that a trusted key has signed: the spec says unsigned text MUST be ignored.
    VerifiedNote note = SignedNote.open(signedNote, verifiers);
    Checkpoint checkpoint = Checkpoint.parse(note.text());
    // The same key may sign several logs (Rekor shards); the origin says which log this is.
    if (expectedOrigin != null && !expectedOrigin.equals(checkpoint.origin())) {
      throw new CheckpointOriginException(expectedOrigin, checkpoint.origin());
    }
    return checkpoint;
  }
}
