package dev.airseal.tsa;

import dev.airseal.signing.SignatureAlgorithm;
import dev.airseal.signing.Signer;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;

/**
 * A BouncyCastle {@link ContentSigner} that signs through a {@link Signer}, so certificates and CMS
 * signatures work with keys BouncyCastle never sees (PKCS#11, KMS). One instance per signature:
 * BouncyCastle writes the to-be-signed bytes, then asks for the signature once.
 */
final class SignerContentSigner implements ContentSigner {
  private final Signer signer;
  private final AlgorithmIdentifier algorithm;
  private final ByteArrayOutputStream tbs = new ByteArrayOutputStream();

  SignerContentSigner(Signer signer) {
    this.signer = signer;
    this.algorithm = new DefaultSignatureAlgorithmIdentifierFinder().find(bcName(signer.algorithm()));
  }

  // BouncyCastle's names where they differ from the JCA names Signer reports.
  private static String bcName(SignatureAlgorithm a) {
    return a.isPss() ? "SHA256WITHRSAANDMGF1" : a.jcaName();
  }

  @Override
  public AlgorithmIdentifier getAlgorithmIdentifier() {
    return algorithm;
  }

  @Override
  public OutputStream getOutputStream() {
    return tbs;
  }

  @Override
  public byte[] getSignature() {
    byte[] message = tbs.toByteArray();
    tbs.reset();
    return signer.sign(message);
  }
}
