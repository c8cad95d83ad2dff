package dev.airseal.log.note;

import dev.airseal.signing.Signer;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/** {@link NoteSigner}s over a {@link Signer}, with the key hash verifiers expect for its type. */
public final class NoteSigners {
  private NoteSigners() {}

  /**
   * Type 0x02: ECDSA, key hash SHA-256(PKIX DER)[:4]. This is how Rekor v1 signs checkpoints, so
   * Rekor clients find our key by the first four bytes of our log ID.
   */
  public static NoteSigner ecdsa(String name, Signer signer) {
    byte[] der = signer.publicKey().getEncoded();
    NoteKeys.ecdsaKey(der);
    return of(name, NoteKeys.pkixKeyHash(der), signer);
  }

  /** Type 0x01: Ed25519, key hash SHA-256(name || 0x0A || 0x01 || 32-byte key)[:4]. */
  public static NoteSigner ed25519(String name, Signer signer) {
    SubjectPublicKeyInfo spki = NoteKeys.spki(signer.publicKey().getEncoded());
    if (!NoteKeys.isEd25519(spki)) {
      throw new IllegalArgumentException(
          "signer key is " + signer.publicKey().getAlgorithm() + ", not Ed25519");
    }
    byte[] raw = spki.getPublicKeyData().getOctets();
    return of(name, NoteKeys.typedKeyHash(name, NoteVerifier.TYPE_ED25519, raw), signer);
  }

  /** {@link #ed25519} or {@link #ecdsa}, by the signer's key type. */
  public static NoteSigner forSigner(String name, Signer signer) {
    SubjectPublicKeyInfo spki = NoteKeys.spki(signer.publicKey().getEncoded());
    return NoteKeys.isEd25519(spki) ? ed25519(name, signer) : ecdsa(name, signer);
  }

  private static NoteSigner of(String name, byte[] keyHash, Signer signer) {
    if (!NoteNames.isValid(name)) {
      throw new IllegalArgumentException("invalid key name: \"" + name + "\"");
    }
    byte[] hash = keyHash.clone();
    return new NoteSigner() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public byte[] keyHash() {
        return hash.clone();
      }

      @Override
      public byte[] sign(byte[] text) {
        return signer.sign(text);
      }
    };
  }
}
