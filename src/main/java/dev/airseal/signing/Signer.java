package dev.airseal.signing;

import java.security.PublicKey;

/**
 * A signing key, wherever it lives (software, PKCS#11, KMS). Implementations hash the message as
 * their algorithm requires; callers never see the private key.
 */
public interface Signer {
  PublicKey publicKey();

  SignatureAlgorithm algorithm();

  /**
   * Signature over {@code message} with {@link #algorithm()}: for ECDSA an ASN.1 DER signature
   * over the digest of the message, for RSA the raw signature, for Ed25519 the 64 bytes.
   */
  byte[] sign(byte[] message);
}
