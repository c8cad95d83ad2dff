package dev.airseal.crypto;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.jcajce.provider.asymmetric.ec.BCECPublicKey;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * ECDSA as the verifier, the log and the software signer want it: the message hashed by the JDK
 * (its SHA-2 uses the CPU's SHA instructions; BouncyCastle's is plain Java), the signature made or
 * checked by AWS-LC where it serves ({@link AwsLc}), else by BouncyCastle (six to eight times the
 * JDK 17 SunEC verify rate here, twice SunEC on JDK 25 too).
 *
 * <p>Keys: the engine that accepts a key decides; BouncyCastle is asked only about keys AWS-LC
 * cannot take (a curve it lacks), never to second-guess its verdict. A key used again should be
 * {@linkplain #preparedKey(PublicKey) prepared} once: AWS-LC keeps it parsed, BouncyCastle keeps its
 * precomputed multiples only with its own key object.
 */
public final class Ecdsa {
  private static final BouncyCastleProvider BC = new BouncyCastleProvider();
  private static final Provider ENGINE = AwsLc.provider().orElse(null);

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
    return verifyDigest(ENGINE, key, digest, sig);
  }

  /** As {@link #verifyDigest(PublicKey, byte[], byte[])}, with AWS-LC's provider or none. */
  static boolean verifyDigest(Provider engine, PublicKey key, byte[] digest, byte[] sig) {
    if (!(key instanceof ECPublicKey)) {
      return false;
    }
    PublicKey engineKey = engine == null ? null : ownKey(engine, key);
    Provider provider = engineKey != null ? engine : BC;
    try {
      // NONEwithECDSA takes the digest as the message. Both engines refuse non-DER encodings, so a
      // signature has no second valid form.
      Signature s = Signature.getInstance("NONEwithECDSA", provider);
      s.initVerify(engineKey != null ? engineKey : bcKey(key));
      s.update(digest);
      return s.verify(sig);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  /**
   * {@code digest} signed with a key from {@link #preparedKey(PrivateKey)}, as an ASN.1 DER
   * signature (the same signature as SHA*withECDSA over the message the digest came from).
   */
  public static byte[] signDigest(PrivateKey key, byte[] digest) throws GeneralSecurityException {
    Signature s = Signature.getInstance("NONEwithECDSA", isEngineKey(key) ? ENGINE : BC);
    s.initSign(key);
    s.update(digest);
    return s.sign();
  }

  /**
   * {@code key} as the signing engine's own key object, converted once: AWS-LC's where it serves
   * and takes the curve, else BouncyCastle's (with a JDK key it converts the curve parameters and
   * recomputes the generator's comb table on every signature, 3-4x slower). Other keys unchanged.
   */
  public static PrivateKey preparedKey(PrivateKey key) {
    if (!(key instanceof ECPrivateKey)) {
      return key;
    }
    for (Provider p : ENGINE == null ? new Provider[] {BC} : new Provider[] {ENGINE, BC}) {
      PrivateKey k = ownKey(p, key);
      if (k != null) {
        return k;
      }
    }
    return key;
  }

  /**
   * {@code key} as the verifying engine's own key object, converted once for a key that verifies
   * many signatures (a CA's, a policy's); any other key is returned unchanged.
   */
  public static PublicKey preparedKey(PublicKey key) {
    if (!(key instanceof ECPublicKey)) {
      return key;
    }
    PublicKey k = ENGINE == null ? null : ownKey(ENGINE, key);
    return k != null ? k : bcKey(key);
  }

  /** {@code key} as {@code p}'s own key object (itself if it is one), or null where p does not take it. */
  @SuppressWarnings("unchecked")
  private static <K extends Key> K ownKey(Provider p, K key) {
    if (key.getClass().getName().startsWith(packageOf(p))) {
      return key;
    }
    try {
      KeyFactory f = KeyFactory.getInstance("EC", p);
      return (K) (key instanceof PrivateKey
          ? f.generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()))
          : f.generatePublic(new X509EncodedKeySpec(key.getEncoded())));
    } catch (GeneralSecurityException | RuntimeException e) {
      return null;
    }
  }

  private static boolean isEngineKey(PrivateKey key) {
    return ENGINE != null && key.getClass().getName().startsWith(packageOf(ENGINE));
  }

  // Where each engine's own key classes live.
  private static String packageOf(Provider p) {
    return p == BC ? "org.bouncycastle." : p.getClass().getPackageName() + ".";
  }

  /** {@code key} as BouncyCastle's own EC key class (itself when it is one already). */
  static PublicKey bcKey(PublicKey key) {
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
