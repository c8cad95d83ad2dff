package dev.airseal.signing.soft;

import java.math.BigInteger;
import java.util.Map;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * The keys cosign accepts on import (sigstore's goodkey policy): RSA of 2048, 3072 or 4096 bits
 * with exponent 65537; ECDSA on P-256, P-384 or P-521 by named curve; Ed25519. Checked on the
 * encoded key, before any JCA provider interprets it.
 */
final class CosignKeyPolicy {
  private static final Map<ASN1ObjectIdentifier, String> CURVES =
      Map.of(
          SECObjectIdentifiers.secp256r1, "P-256",
          SECObjectIdentifiers.secp384r1, "P-384",
          SECObjectIdentifiers.secp521r1, "P-521");
  private static final Map<ASN1ObjectIdentifier, String> REFUSED_CURVE_NAMES =
      Map.of(
          SECObjectIdentifiers.secp224r1, "P-224",
          SECObjectIdentifiers.secp256k1, "secp256k1",
          SECObjectIdentifiers.secp192r1, "P-192");

  private CosignKeyPolicy() {}

  static void check(PrivateKeyInfo key, String source) throws KeyFileException {
    ASN1ObjectIdentifier alg = key.getPrivateKeyAlgorithm().getAlgorithm();
    try {
      if (alg.equals(PKCSObjectIdentifiers.rsaEncryption)) {
        checkRsa(RSAPrivateKey.getInstance(key.parsePrivateKey()), source);
      } else if (alg.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
        checkCurve(key.getPrivateKeyAlgorithm().getParameters(), source);
      } else if (!alg.equals(EdECObjectIdentifiers.id_Ed25519)) {
        throw new KeyFileException(
            source + ": unsupported private key algorithm " + alg + " (RSA, ECDSA or Ed25519)");
      }
    } catch (java.io.IOException | IllegalArgumentException e) {
      if (e instanceof KeyFileException k) {
        throw k;
      }
      throw new KeyFileException(source + ": malformed private key", e);
    }
  }

  private static void checkRsa(RSAPrivateKey rsa, String source) throws KeyFileException {
    int bits = rsa.getModulus().bitLength();
    if (bits != 2048 && bits != 3072 && bits != 4096) {
      throw new KeyFileException(
          source + ": RSA key size " + bits + " not supported (2048, 3072 or 4096)");
    }
    if (!rsa.getPublicExponent().equals(BigInteger.valueOf(65537))) {
      throw new KeyFileException(
          source + ": RSA public exponent " + rsa.getPublicExponent() + " not supported (65537)");
    }
  }

  private static void checkCurve(Object params, String source) throws KeyFileException {
    if (!(params instanceof ASN1ObjectIdentifier curve)) {
      throw new KeyFileException(
          source + ": ECDSA key with explicit curve parameters; only named curves are allowed");
    }
    if (!CURVES.containsKey(curve)) {
      String name = REFUSED_CURVE_NAMES.getOrDefault(curve, curve.getId());
      throw new KeyFileException(
          source + ": ECDSA curve " + name + " not allowed (P-256, P-384 or P-521)");
    }
  }
}
