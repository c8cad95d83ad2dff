package dev.airseal.log.note;

import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** Type 0x01: RFC 8032 Ed25519 over the note text. */
final class Ed25519Check implements SignatureCheck {
  private final Ed25519PublicKeyParameters key;

  /**
   * @throws IllegalArgumentException if {@code raw} is not a 32-byte point on the curve
   */
  Ed25519Check(byte[] raw) {
    this.key = new Ed25519PublicKeyParameters(raw);
  }

  @Override
  public void check(byte[] text, byte[] signature) throws NoteSignatureException {
    Ed25519Signer v = new Ed25519Signer();
    v.init(false, key);
    v.update(text, 0, text.length);
    if (!v.verifySignature(signature)) {
      throw new NoteSignatureException("Ed25519 signature does not verify");
    }
  }
}
