package dev.airseal.log.note;

/** Signs note text for one signature line: {@code — <name> base64(keyHash || signature)}. */
public interface NoteSigner {
  /** The key name written in the signature line; no spaces, no '+'. */
  String name();

  /** The 4-byte key hint written before the signature. */
  byte[] keyHash();

  /** Signature over the UTF-8 note text (everything before the blank line, final newline included). */
  byte[] sign(byte[] text);
}
