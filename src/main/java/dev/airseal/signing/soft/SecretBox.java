package dev.airseal.signing.soft;

import java.security.MessageDigest;
import java.util.Arrays;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * NaCl {@code crypto_secretbox} (XSalsa20 + Poly1305), as Go's {@code nacl/secretbox} lays it out:
 * box = tag (16) || ciphertext. The first 32 bytes of the XSalsa20 key stream are the one-time
 * Poly1305 key; the message is encrypted with the stream from byte 32 on.
 */
final class SecretBox {
  static final int KEY_BYTES = 32;
  static final int NONCE_BYTES = 24;
  static final int TAG_BYTES = 16;

  private SecretBox() {}

  static byte[] seal(byte[] key, byte[] nonce, byte[] plaintext) {
    KeyStream stream = KeyStream.start(key, nonce);
    byte[] box = new byte[TAG_BYTES + plaintext.length];
    stream.cipher.processBytes(plaintext, 0, plaintext.length, box, TAG_BYTES);
    byte[] tag = tag(stream.macKey, box, TAG_BYTES, plaintext.length);
    System.arraycopy(tag, 0, box, 0, TAG_BYTES);
    return box;
  }

  /** The plaintext, or null when the tag does not match (wrong key or altered box). */
  static byte[] open(byte[] key, byte[] nonce, byte[] box) {
    if (box.length < TAG_BYTES) {
      return null;
    }
    KeyStream stream = KeyStream.start(key, nonce);
    byte[] expected = tag(stream.macKey, box, TAG_BYTES, box.length - TAG_BYTES);
    // Constant time, so the comparison leaks nothing about how close a forged tag came.
    if (!MessageDigest.isEqual(expected, Arrays.copyOf(box, TAG_BYTES))) {
      return null;
    }
    byte[] plaintext = new byte[box.length - TAG_BYTES];
    stream.cipher.processBytes(box, TAG_BYTES, plaintext.length, plaintext, 0);
    return plaintext;
  }

  /** The XSalsa20 stream with its first 32 bytes taken off as the Poly1305 key. */
  private record KeyStream(XSalsa20Engine cipher, byte[] macKey) {
    static KeyStream start(byte[] key, byte[] nonce) {
      if (key.length != KEY_BYTES || nonce.length != NONCE_BYTES) {
        throw new IllegalArgumentException("secretbox needs a 32-byte key and a 24-byte nonce");
      }
      XSalsa20Engine cipher = new XSalsa20Engine();
      cipher.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
      byte[] macKey = new byte[KEY_BYTES];
      cipher.processBytes(new byte[KEY_BYTES], 0, KEY_BYTES, macKey, 0);
      return new KeyStream(cipher, macKey);
    }
  }

  private static byte[] tag(byte[] macKey, byte[] data, int off, int len) {
    Poly1305 mac = new Poly1305();
    mac.init(new KeyParameter(macKey));
    mac.update(data, off, len);
    byte[] tag = new byte[TAG_BYTES];
    mac.doFinal(tag, 0);
    return tag;
  }
}
