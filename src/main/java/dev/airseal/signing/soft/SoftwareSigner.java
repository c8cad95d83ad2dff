package dev.airseal.signing.soft;

import dev.airseal.crypto.Ecdsa;
import dev.airseal.signing.SignatureAlgorithm;
import dev.airseal.signing.Signer;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * A key held in memory. ECDSA is signed by AWS-LC where it serves, else by BouncyCastle (~10x
 * SunEC on JDK 17); RSA by BouncyCastle.
 */
public final class SoftwareSigner implements Signer {
  static final Provider BC = new BouncyCastleProvider();

  private final PublicKey publicKey;
  private final PrivateKey privateKey;
  private final SignatureAlgorithm algorithm;

  public SoftwareSigner(KeyPair keys) {
    this(keys, SignatureAlgorithm.forKey(keys.getPublic(), false));
  }

  public SoftwareSigner(KeyPair keys, SignatureAlgorithm algorithm) {
    this.publicKey = keys.getPublic();
    // Converted once into the signing engine's own key object (crypto/Ecdsa says why).
    this.privateKey = Ecdsa.preparedKey(keys.getPrivate());
    this.algorithm = algorithm;
  }

  @Override
  public PublicKey publicKey() {
    return publicKey;
  }

  @Override
  public SignatureAlgorithm algorithm() {
    return algorithm;
  }

  @Override
  public byte[] sign(byte[] message) {
    try {
      if (algorithm.isEcdsa()) {
        // The same signature as SHA256withECDSA (the digest truncated to the order in both), but the
        // JDK hashes with the CPU's SHA instructions where it has them: several times faster than
        // BouncyCastle's Java SHA-256 over a 1.6 KB SET payload.
        return Ecdsa.signDigest(privateKey, Ecdsa.digest(algorithm.digest(), message));
      }
      Signature s = Signature.getInstance(algorithm.jcaName(), BC);
      if (algorithm.isPss()) {
        // Sigstore's RSA-PSS: SHA-256, MGF1 with SHA-256, salt length = digest length.
        s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
      }
      s.initSign(privateKey);
      s.update(message);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("software signing failed: " + e.getMessage(), e);
    }
  }
}
