package dev.airseal.log.note;

/**
 * The algorithm-specific half of a {@link NoteVerifier}: does {@code signature} sign {@code text}?
 */
@FunctionalInterface
interface SignatureCheck {
  void check(byte[] text, byte[] signature) throws NoteSignatureException;
}
