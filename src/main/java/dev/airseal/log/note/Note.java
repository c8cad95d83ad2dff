package dev.airseal.log.note;

import java.util.List;

/**
 * A parsed but unverified signed note. The text MUST be ignored until {@link SignedNote#open} has
 * verified a signature from a trusted key.
 */
public record Note(String text, List<NoteSignature> signatures) {
  public Note {
    if (text == null || !text.endsWith("\n")) {
      throw new IllegalArgumentException("note text must end with a newline");
    }
    if (signatures.isEmpty()) {
      throw new IllegalArgumentException("a note has at least one signature");
    }
    signatures = List.copyOf(signatures);
  }
}
