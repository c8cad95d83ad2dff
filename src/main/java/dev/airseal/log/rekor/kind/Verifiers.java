package dev.airseal.log.rekor.kind;

import dev.airseal.crypto.Ecdsa;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Signature checks with the semantics of sigstore's signature.LoadVerifierWithOpts as Rekor calls
 * it: RSA is always PKCS#1 v1.5 (Rekor never passes PSS options), ECDSA takes the digest as is,
 * Ed25519 is pure over a message and Ed25519ph over a SHA-512 digest.
 */
final class Verifiers {
  // BouncyCastle verifies ECDSA about ten times faster than SunEC.
  static final Provider BC = new BouncyCastleProvider();

  private Verifiers() {}

  /**
   * Verifies {@code sig} over a precomputed digest, as hashedrekord does.
   *
   * @throws InvalidEntryException naming the reason, when the signature does not verify
   */
  static void verifyDigest(RekorKey key, HashAlgorithm alg, byte[] digest, byte[] sig)
      throws InvalidEntryException {
    boolean ok =
        switch (key.type()) {
          case ECDSA -> ecdsa(key, digest, sig);
          case RSA -> rsaPkcs1(key, alg, digest, sig);
          case ED25519 -> {
            // hashedrekord loads the verifier WithED25519ph(); Ed25519ph is defined over SHA-512.
            if (alg != HashAlgorithm.SHA512) {
              throw new InvalidEntryException(
                  "verifying signature: Ed25519 keys sign hashedrekord digests as Ed25519ph, which"
                      + " needs a sha512 digest, got " + alg.id());
            }
            yield sig.length == Ed25519.SIGNATURE_SIZE
                && Ed25519.verifyPrehash(sig, 0, key.rawKey(), 0, new byte[0], digest, 0);
          }
        };
    if (!ok) {
      throw new InvalidEntryException(
          "verifying signature: invalid " + key.type() + " signature over " + alg.id() + " digest");
    }
  }

  /** Verifies {@code sig} over {@code message} hashed with SHA-256 (pure Ed25519 for Ed25519). */
  static boolean verifyMessage(RekorKey key, byte[] message, byte[] sig) {
    return switch (key.type()) {
      case ECDSA -> ecdsa(key, HashAlgorithm.SHA256.digest(message), sig);
      case RSA -> rsaPkcs1(key, HashAlgorithm.SHA256, HashAlgorithm.SHA256.digest(message), sig);
      case ED25519 ->
          sig.length == Ed25519.SIGNATURE_SIZE
              && Ed25519.verify(sig, 0, key.rawKey(), 0, message, 0, message.length);
    };
  }

  // The digest is the message and is truncated to the curve order, as Go's ecdsa.VerifyASN1 does;
  // BouncyCastle refuses non-DER signature encodings.
  private static boolean ecdsa(RekorKey key, byte[] digest, byte[] sig) {
    return Ecdsa.verifyDigest(key.publicKey(), digest, sig);
  }

  /**
   * RSASSA-PKCS1-v1_5 verification over a digest (RFC 8017 section 8.2.2), by re-encoding and
   * comparing the whole block as Go's rsa.VerifyPKCS1v15 does. The JDK offers no verifier that
   * takes a digest instead of a message.
   */
  private static boolean rsaPkcs1(RekorKey key, HashAlgorithm alg, byte[] digest, byte[] sig) {
    RSAPublicKey pub = (RSAPublicKey) key.publicKey();
    BigInteger n = pub.getModulus();
    int k = (n.bitLength() + 7) / 8;
    // Go 1.24 refuses keys under 1024 bits, and a signature must be exactly k bytes long.
    if (n.bitLength() < 1024 || sig.length != k) {
      return false;
    }
    BigInteger s = new BigInteger(1, sig);
    if (s.compareTo(n) >= 0) {
      return false;
    }
    byte[] em = toFixed(s.modPow(pub.getPublicExponent(), n), k);
    byte[] t = concat(alg.digestInfoPrefix(), digest);
    if (k < t.length + 11) {
      return false;
    }
    byte[] expected = new byte[k];
    expected[1] = 0x01;
    Arrays.fill(expected, 2, k - t.length - 1, (byte) 0xff);
    System.arraycopy(t, 0, expected, k - t.length, t.length);
    return MessageDigest.isEqual(em, expected);
  }

  private static byte[] toFixed(BigInteger v, int len) {
    byte[] raw = v.toByteArray();
    byte[] out = new byte[len];
    int copy = Math.min(raw.length, len);
    System.arraycopy(raw, raw.length - copy, out, len - copy, copy);
    return out;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  static MessageDigest sha(String name) {
    try {
      return MessageDigest.getInstance(name);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always has " + name, e);
    }
  }
}
