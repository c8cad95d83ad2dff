package dev.airseal.bundle;

import dev.airseal.signing.SignatureAlgorithm;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.HexFormat;
import java.util.Objects;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/**
 * A public key a site trusts to sign transfer bundles of one producer. Its id is the hex SHA-256 of
 * the DER SubjectPublicKeyInfo, written as the DSSE signature's {@code keyid}.
 */
public record TransferKey(String producer, PublicKey key) {
  private static final BouncyCastleProvider BC = new BouncyCastleProvider();

  public TransferKey {
    Objects.requireNonNull(producer, "producer");
    Objects.requireNonNull(key, "key");
  }

  public static String keyId(PublicKey key) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public String keyId() {
    return keyId(key);
  }

  /** Verifies {@code sig} over {@code message} with the scheme the key's type implies. */
  public boolean verifies(byte[] message, byte[] sig) {
    try {
      SignatureAlgorithm alg = SignatureAlgorithm.forKey(key, false);
      Signature s = Signature.getInstance(alg.jcaName(), BC);
      s.initVerify(key);
      s.update(message);
      return s.verify(sig);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  public static PublicKey parsePem(String pem) throws IOException {
    try (PEMParser p = new PEMParser(new StringReader(pem))) {
      Object o = p.readObject();
      if (!(o instanceof SubjectPublicKeyInfo spki)) {
        throw new IOException("not a PEM public key (PUBLIC KEY block)");
      }
      return new JcaPEMKeyConverter().setProvider(BC).getPublicKey(spki);
    }
  }

  public static String toPem(PublicKey key) {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
      pw.writeObject(key);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return w.toString();
  }
}
