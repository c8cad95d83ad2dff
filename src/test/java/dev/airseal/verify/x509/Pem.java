package dev.airseal.verify.x509;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** Test fixtures: PEM blocks, also when `openssl x509 -text` output precedes them. */
final class Pem {
  private Pem() {}

  static byte[] block(Path file, String type) {
    try {
      String text = Files.readString(file);
      String begin = "-----BEGIN " + type + "-----";
      int from = text.indexOf(begin);
      int to = text.indexOf("-----END " + type + "-----", from);
      return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static X509Certificate cert(Path file) {
    return cert(block(file, "CERTIFICATE"));
  }

  static X509Certificate cert(byte[] der) {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static PublicKey ecKey(Path file) {
    try {
      return KeyFactory.getInstance("EC")
          .generatePublic(new X509EncodedKeySpec(block(file, "PUBLIC KEY")));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
