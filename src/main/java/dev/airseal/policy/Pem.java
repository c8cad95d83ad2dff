package dev.airseal.policy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** PEM public keys and certificates as policies carry them inline. */
final class Pem {
  // BouncyCastle key objects, not the JDK's: BC's verifier then reuses the point's precomputed
  // multiples across verifications instead of converting the key and recomputing them each time
  // (about twice as fast per P-256 verify; `bench verify` prints both rates).
  private static final java.security.Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();

  private Pem() {}

  /** Every {@code PUBLIC KEY} block, in order; refuses anything else in the text. */
  static List<PublicKey> publicKeys(Fields where, String pem) throws PolicyException {
    List<PublicKey> keys = new ArrayList<>();
    try (PEMParser p = new PEMParser(new StringReader(pem))) {
      Object o;
      while ((o = p.readObject()) != null) {
        if (!(o instanceof SubjectPublicKeyInfo spki)) {
          throw where.error("holds a " + o.getClass().getSimpleName() + ", not a PEM PUBLIC KEY");
        }
        keys.add(new JcaPEMKeyConverter().setProvider(BC).getPublicKey(spki));
      }
    } catch (IOException | RuntimeException e) {
      throw where.error("is not a PEM public key: " + e.getMessage());
    }
    if (keys.isEmpty()) {
      throw where.error("holds no PEM PUBLIC KEY");
    }
    return keys;
  }

  static List<X509Certificate> certificates(Fields where, String pem) throws PolicyException {
    try {
      List<X509Certificate> out = new ArrayList<>();
      for (java.security.cert.Certificate c : CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
        out.add((X509Certificate) c);
      }
      if (out.isEmpty()) {
        throw where.error("holds no PEM CERTIFICATE");
      }
      return out;
    } catch (CertificateException e) {
      throw where.error("is not a PEM certificate: " + e.getMessage());
    }
  }
}
