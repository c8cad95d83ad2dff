package dev.airseal.log.note;

import dev.airseal.log.Hex;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/** A {@link NoteVerifier} for one named key of one signature type. */
final class KeyedVerifier implements NoteVerifier {
  private final String name;
  private final byte[] keyHash;
  private final byte type;
  private final byte[] key;
  private final SignatureCheck check;

  KeyedVerifier(String name, byte[] keyHash, byte type, byte[] key, SignatureCheck check) {
    this.name = name;
    this.keyHash = keyHash.clone();
    this.type = type;
    this.key = key.clone();
    this.check = check;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public byte[] keyHash() {
    return keyHash.clone();
  }

  @Override
  public String keyId() {
    return name + "+" + Hex.encode(keyHash);
  }

  @Override
  public String vkey() {
    byte[] typed = new byte[key.length + 1];
    typed[0] = type;
    System.arraycopy(key, 0, typed, 1, key.length);
    return keyId() + "+" + Base64.getEncoder().encodeToString(typed);
  }

  @Override
  public void verify(String name, byte[] keyHash, String text, byte[] signature)
      throws NoteSignatureException {
    // SPEC: "The tuple of key name and key ID uniquely identifies the key"; a signature line
    // matching only one of them was made by another key.
    if (!this.name.equals(name) || !MessageDigest.isEqual(this.keyHash, keyHash)) {
      throw new NoteSignatureException(
          "signature by " + name + "+" + Hex.encode(keyHash) + " is not for key " + keyId());
    }
    try {
      check.check(text.getBytes(StandardCharsets.UTF_8), signature);
    } catch (NoteSignatureException e) {
      throw new NoteSignatureException(
          "invalid signature for key " + keyId() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "NoteVerifier[" + keyId() + ", type " + type + "]";
  }
}
