package dev.airseal.log.note;

import dev.airseal.log.Hex;

/**
 * One signature line: the key name, the 4-byte key hash that precedes the signature in the base64
 * blob, and the signature bytes proper.
 */
public record NoteSignature(String name, byte[] keyHash, byte[] signature) {
  public NoteSignature {
    if (!NoteNames.isValid(name)) {
      throw new IllegalArgumentException("invalid key name: " + name);
    }
    if (keyHash == null || keyHash.length != NoteNames.KEY_HASH_SIZE) {
      throw new IllegalArgumentException("key hash must be 4 bytes");
    }
    if (signature == null || signature.length == 0) {
      throw new IllegalArgumentException("empty signature");
    }
    keyHash = keyHash.clone();
    signature = signature.clone();
  }

  /** {@code name+hexhash}, the form Go's sumdb/note uses in its error messages. */
  public String keyId() {
    return name + "+" + Hex.encode(keyHash);
  }
}
