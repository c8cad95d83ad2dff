package dev.airseal.log.rekor;

import dev.airseal.signing.soft.KeyFiles;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMParser;

/** Rekor's canonical value of an x509 public key or certificate: its PEM, re-encoded. */
final class PemKeys {
  private PemKeys() {}

  static String canonicalPem(byte[] pem) {
    try (PEMParser p = new PEMParser(new StringReader(new String(pem, StandardCharsets.US_ASCII)))) {
      Object o = p.readObject();
      if (o instanceof SubjectPublicKeyInfo || o instanceof X509CertificateHolder) {
        return KeyFiles.toPem(o);
      }
    } catch (IOException | RuntimeException e) {
      throw new RekorException(400, "publicKey.content is not a PEM public key or certificate");
    }
    throw new RekorException(400, "publicKey.content is not a PEM public key or certificate");
  }
}
