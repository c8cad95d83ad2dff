package dev.airseal.signing;

import java.security.PublicKey;

/**
 * A signing key, wherever it lives (software, PKCS#11, KMS). Implementations hash the message as
 * their algorithm requires; callers never see the private key.
 */
public interface Signer {
  PublicKey publicKey();

  /** Signature over {@code message}; for ECDSA an ASN.1 DER signature over SHA-256(message). */
  byte[] sign(byte[] message);
}
