package dev.airseal.crypto;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.jcajce.provider.asymmetric.ec.BCECPublicKey;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * ECDSA verification as the verifier and the log want it: the message hashed by the JDK (its SHA-2
 * uses the CPU's SHA instructions; BouncyCastle's is plain Java), the signature checked by
 * BouncyCastle (six to eight times the JDK 17 SunEC verify rate here, twice SunEC on JDK 25
 * too), on a BouncyCastle key object. A key from a JDK certificate is converted from its encoding:
 * converting the JDK's key class goes through a generic curve match on every verify, and a key
 * used again keeps BouncyCastle's precomputed multiples only if it is the same BC object.
 */
public final class Ecdsa {
  private static final BouncyCastleProvider BC = new BouncyCastleProvider();

  private Ecdsa() {}

  /**
   * Whether {@code sig} (ASN.1 DER) verifies over {@code message} hashed with {@code jcaHash}. A
   * digest longer than the curve order is truncated as FIPS 186 and Go's ecdsa.VerifyASN1 do.
   */
  public static boolean verify(PublicKey key, String jcaHash, byte[] message, byte[] sig) {
    return verifyDigest(key, digest(jcaHash, message), sig);
  }

  /** Whether {@code sig} (ASN.1 DER) verifies over a precomputed {@code digest}. */
  public static boolean verifyDigest(PublicKey key, byte[] digest, byte[] sig) {
    if (!(key instanceof ECPublicKey)) {
      return false;
    }
    try {
      // NONEwithECDSA takes the digest as the message; BouncyCastle refuses non-DER encodings, so a
      // signature has no second valid form.
      Signature s = Signature.getInstance("NONEwithECDSA", BC);
      s.initVerify(bcKey(key));
      s.update(digest);
      return s.verify(sig);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  /**
   * {@code key} as BouncyCastle's own EC key class (itself when it is one already); any other
   * key is returned unchanged.
   */
  public static PublicKey bcKey(PublicKey key) {
    if (key instanceof BCECPublicKey || !(key instanceof ECPublicKey)) {
      return key;
    }
    try {
      PublicKey k = BouncyCastleProvider.getPublicKey(SubjectPublicKeyInfo.getInstance(key.getEncoded()));
      return k != null ? k : key;
    } catch (IOException | RuntimeException e) {
      return key;
    }
  }

  /** {@code message} hashed by the JDK's {@code jcaHash} ("SHA-256", …). */
  public static byte[] digest(String jcaHash, byte[] message) {
    try {
      return MessageDigest.getInstance(jcaHash).digest(message);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalArgumentException("unsupported digest " + jcaHash, e);
    }
  }
}
