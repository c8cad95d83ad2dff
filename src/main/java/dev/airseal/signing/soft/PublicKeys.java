package dev.airseal.signing.soft;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import org.bouncycastle.jcajce.interfaces.EdDSAPrivateKey;
import org.bouncycastle.jce.interfaces.ECPrivateKey;
import org.bouncycastle.math.ec.ECMultiplier;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

final class PublicKeys {
  private PublicKeys() {}

  /**
   * The public key of {@code priv}, computed rather than read: PKCS#8 keys need not carry it, and
   * one that does could carry a key that does not match (Go's parsers also recompute it).
   */
  static PublicKey derivePublic(PrivateKey priv) throws java.io.IOException {
    try {
      if (priv instanceof ECPrivateKey ec) {
        ECMultiplier m = new FixedPointCombMultiplier();
        var q = m.multiply(ec.getParameters().getG(), ec.getD()).normalize();
        var spec =
            new ECPublicKeySpec(
                new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger()),
                ((java.security.interfaces.ECPrivateKey) priv).getParams());
        return KeyFactory.getInstance("EC", SoftwareSigner.BC).generatePublic(spec);
      }
      if (priv instanceof RSAPrivateCrtKey rsa) {
        var spec = new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent());
        return KeyFactory.getInstance("RSA", SoftwareSigner.BC).generatePublic(spec);
      }
      if (priv instanceof EdDSAPrivateKey ed) {
        return ed.getPublicKey();
      }
    } catch (GeneralSecurityException e) {
      throw new java.io.IOException("cannot derive the public key", e);
    }
    throw new java.io.IOException(
        "cannot derive the public key of a " + priv.getAlgorithm() + " private key");
  }
}
