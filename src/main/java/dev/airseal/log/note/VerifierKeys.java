package dev.airseal.log.note;

import dev.airseal.log.Hex;
import dev.airseal.log.StrictBase64;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.Arrays;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/** Verifier key strings: {@code <name>+<hex key hash>+<base64(type || key)>}. */
final class VerifierKeys {
  private static final int ED25519_KEY_SIZE = 32;

  private VerifierKeys() {}

  static NoteVerifier parse(String vkey) throws NoteFormatException {
    String[] parts = vkey.split("\\+", 3);
    if (parts.length != 3) {
      throw bad(vkey, "has " + parts.length + " '+'-separated parts, want 3");
    }
    String name = parts[0];
    if (!NoteNames.isValid(name)) {
      throw bad(vkey, "has an invalid key name");
    }
    if (!Hex.isHex(parts[1], 2 * NoteNames.KEY_HASH_SIZE)) {
      throw bad(vkey, "key hash \"" + parts[1] + "\" is not 8 hex digits");
    }
    byte[] claimed = Hex.decode(parts[1]);
    byte[] typed;
    try {
      typed = StrictBase64.decode(parts[2]);
    } catch (IllegalArgumentException e) {
      throw bad(vkey, "key is not base64 (" + e.getMessage() + ")");
    }
    if (typed.length < 2) {
      throw bad(vkey, "key is " + typed.length + " bytes, too short");
    }
    byte type = typed[0];
    byte[] key = Arrays.copyOfRange(typed, 1, typed.length);
    try {
      KeyedVerifier v = build(name, type, key);
      if (!MessageDigest.isEqual(v.keyHash(), claimed)) {
        throw bad(
            vkey, "key hash " + parts[1] + " does not match the key's " + Hex.encode(v.keyHash()));
      }
      return v;
    } catch (IllegalArgumentException e) {
      throw bad(vkey, e.getMessage());
    }
  }

  static NoteVerifier fromPublicKey(String name, PublicKey key) {
    if (!NoteNames.isValid(name)) {
      throw new IllegalArgumentException("invalid key name: " + name);
    }
    byte[] der = key.getEncoded();
    SubjectPublicKeyInfo spki = NoteKeys.spki(der);
    if (NoteKeys.isEd25519(spki)) {
      return build(name, NoteVerifier.TYPE_ED25519, spki.getPublicKeyData().getOctets());
    }
    if (NoteKeys.isEcdsa(spki)) {
      return build(name, NoteVerifier.TYPE_ECDSA, der);
    }
    throw new IllegalArgumentException(
        "no note signature type for " + key.getAlgorithm() + " keys; use Ed25519 or ECDSA");
  }

  /** Throws IllegalArgumentException for key material the type cannot use. */
  private static KeyedVerifier build(String name, byte type, byte[] key) {
    switch (type) {
      case NoteVerifier.TYPE_ED25519:
        if (key.length != ED25519_KEY_SIZE) {
          throw new IllegalArgumentException("Ed25519 key is " + key.length + " bytes, want 32");
        }
        return new KeyedVerifier(
            name, NoteKeys.typedKeyHash(name, type, key), type, key, new Ed25519Check(key));
      case NoteVerifier.TYPE_ECDSA:
        return new KeyedVerifier(
            name, NoteKeys.pkixKeyHash(key), type, key, new EcdsaCheck(NoteKeys.ecdsaKey(key)));
      case NoteVerifier.TYPE_RFC6962_STH:
        return new KeyedVerifier(
            name, NoteKeys.rfc6962KeyHash(name, key), type, key, sthCheck(name, key));
      default:
        throw new IllegalArgumentException(
            String.format("unsupported signature type 0x%02x", type & 0xff));
    }
  }

  private static SignatureCheck sthCheck(String name, byte[] der) {
    SubjectPublicKeyInfo spki = NoteKeys.spki(der);
    if (NoteKeys.isRsa(spki)) {
      return new Rfc6962SthCheck(name, NoteKeys.pkixKey("RSA", der), true);
    }
    return new Rfc6962SthCheck(name, NoteKeys.ecdsaKey(der), false);
  }

  private static NoteFormatException bad(String vkey, String why) {
    String shown = vkey.length() > 60 ? vkey.substring(0, 60) + "…" : vkey;
    return new NoteFormatException("malformed verifier key \"" + shown + "\": " + why);
  }
}
