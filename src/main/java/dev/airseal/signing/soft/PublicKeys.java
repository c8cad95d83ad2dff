package dev.airseal.signing.soft;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import org.bouncycastle.jce.interfaces.ECPrivateKey;
import org.bouncycastle.math.ec.ECMultiplier;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

final class PublicKeys {
  private PublicKeys() {}

  /** PKCS#8 EC keys need not carry the public point; derive it as d*G. */
  static PublicKey derivePublic(PrivateKey priv) throws java.io.IOException {
    if (!(priv instanceof ECPrivateKey ec)) {
      throw new java.io.IOException(
          "PKCS#8 key of type " + priv.getAlgorithm() + " without public key is not supported");
    }
    try {
      ECMultiplier m = new FixedPointCombMultiplier();
      var q = m.multiply(ec.getParameters().getG(), ec.getD()).normalize();
      var spec =
          new ECPublicKeySpec(
              new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger()),
              ((java.security.interfaces.ECPrivateKey) priv).getParams());
      return KeyFactory.getInstance("EC", SoftwareSigner.BC).generatePublic(spec);
    } catch (GeneralSecurityException e) {
      throw new java.io.IOException("cannot derive the public key", e);
    }
  }
}
