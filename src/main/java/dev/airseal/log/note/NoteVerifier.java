package dev.airseal.log.note;

import java.security.PublicKey;

/**
 * Verifies signature lines made by one key, identified by its name and 4-byte key hash. Obtain one
 * from a verifier key string ({@link #parse}) or, for the log's own key, from its public key
 * ({@link #fromPublicKey}).
 */
// SPEC: https://c2sp.org/signed-note
public interface NoteVerifier {
  /** Signature type 0x01: Ed25519 over the note text. */
  byte TYPE_ED25519 = 0x01;

  /** Signature type 0x02: ECDSA-SHA256 (ASN.1 DER) over the note text, as Rekor v1 signs. */
  byte TYPE_ECDSA = 0x02;

  /** Signature type 0x05: RFC 6962 TreeHeadSignature, as c2sp.org/static-ct-api logs sign. */
  byte TYPE_RFC6962_STH = 0x05;

  String name();

  /** The 4-byte key hash that signature lines made by this key carry. */
  byte[] keyHash();

  /** {@code name+hexhash}, e.g. {@code rekor.sigstore.dev+c0d23d6a}. */
  String keyId();

  /** The verifier key string {@code <name>+<hex key hash>+<base64(type || key)>}. */
  String vkey();

  /**
   * Verifies one signature line over {@code text} (the note text, final newline included).
   *
   * @throws NoteSignatureException if the line's name or key hash are not this key's, or the
   *     signature does not verify
   */
  void verify(String name, byte[] keyHash, String text, byte[] signature)
      throws NoteSignatureException;

  /**
   * Parses a verifier key; types 0x01 (Ed25519), 0x02 (ECDSA with a PKIX key, key hash =
   * SHA-256(PKIX DER)[:4]) and 0x05 (RFC 6962 STH) are supported.
   */
  static NoteVerifier parse(String vkey) throws NoteFormatException {
    return VerifierKeys.parse(vkey);
  }

  /**
   * A verifier for an Ed25519 (type 0x01) or ECDSA P-256/P-384/P-521 (type 0x02) public key.
   *
   * @throws IllegalArgumentException for another key type or an invalid name
   */
  static NoteVerifier fromPublicKey(String name, PublicKey key) {
    return VerifierKeys.fromPublicKey(name, key);
  }
}
