package dev.airseal.log.note;

import java.util.List;

/**
 * A note with at least one signature verified by a known key. {@code unverified} holds the
 * signatures from keys we do not know (witnesses, rotated keys); they prove nothing.
 */
public record VerifiedNote(
    String text, List<NoteSignature> verified, List<NoteSignature> unverified) {
  public VerifiedNote {
    if (verified.isEmpty()) {
      throw new IllegalArgumentException("a verified note has at least one verified signature");
    }
    verified = List.copyOf(verified);
    unverified = List.copyOf(unverified);
  }
}
