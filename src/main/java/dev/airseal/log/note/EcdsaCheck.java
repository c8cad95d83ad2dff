package dev.airseal.log.note;

import dev.airseal.crypto.Ecdsa;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;

/**
 * Type 0x02: ASN.1 DER ECDSA over SHA-256 of the note text, whatever the curve (as
 * transparency-dev/formats and Rekor v1 do). crypto/Ecdsa rejects non-DER signature encodings, so a
 * signature cannot be re-encoded into a second valid form.
 */
final class EcdsaCheck implements SignatureCheck {
  private final PublicKey key;

  EcdsaCheck(PublicKey key) {
    // Converted once: a verifier checks many notes with its key.
    this.key = Ecdsa.preparedKey(key);
  }

  @Override
  public void check(byte[] text, byte[] signature) throws NoteSignatureException {
    if (!Ecdsa.verify(key, "SHA-256", text, signature)) {
      throw new NoteSignatureException("ECDSA signature does not verify");
    }
  }

  /** Through the JCA: RFC 6962 tree heads may be signed with RSA as well. */
  static boolean verify(PublicKey key, String algorithm, byte[] message, byte[] signature) {
    try {
      Signature s = Signature.getInstance(algorithm, NoteKeys.BC);
      s.initVerify(key);
      s.update(message);
      return s.verify(signature);
    } catch (GeneralSecurityException e) {
      // A signature that cannot even be decoded is simply not a valid signature.
      return false;
    }
  }
}
