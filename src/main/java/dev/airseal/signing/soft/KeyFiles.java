package dev.airseal.signing.soft;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/**
 * PEM key files: private keys as cosign reads them (encrypted or not), PKIX public keys, and the
 * appliance's own unencrypted log key.
 */
public final class KeyFiles {
  private static final long MAX_KEY_FILE_BYTES = 64 * 1024;

  private KeyFiles() {}

  /**
   * Reads the key pair at {@code path}, or creates a P-256 key there readable by its owner only.
   */
  public static KeyPair loadOrCreateEcKey(Path path) throws IOException {
    if (!Files.exists(path)) {
      try {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC", SoftwareSigner.BC);
        g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        writePrivateKey(path, g.generateKeyPair().getPrivate());
      } catch (GeneralSecurityException e) {
        throw new IOException("cannot generate a P-256 key", e);
      }
    }
    return readKeyPair(path);
  }

  /**
   * The key pair in a private key file as cosign accepts it: cosign's encrypted formats (password
   * from {@code passwords}, asked only when the file is encrypted) or unencrypted PKCS#8, SEC1 or
   * PKCS#1 PEM; RSA 2048/3072/4096, ECDSA P-256/P-384/P-521 or Ed25519.
   */
  public static KeyPair readPrivateKey(Path path, PasswordSource passwords)
      throws KeyFileException {
    String pem;
    try {
      // A private key PEM is a few KiB (RSA 4096 PKCS#1 is 3.2); refuse to read a huge file whole.
      long size = Files.size(path);
      if (size > MAX_KEY_FILE_BYTES) {
        throw new KeyFileException(
            path + " is " + size + " bytes, too large for a private key file (limit 64 KiB)");
      }
      pem = Files.readString(path, StandardCharsets.ISO_8859_1);
    } catch (KeyFileException e) {
      throw e;
    } catch (IOException e) {
      throw new KeyFileException("cannot read key file " + path + ": " + e, e);
    }
    return PrivateKeyPem.read(pem, path.toString(), passwords);
  }

  public static KeyPair readKeyPair(Path path) throws IOException {
    try (Reader r = Files.newBufferedReader(path, StandardCharsets.US_ASCII);
        PEMParser p = new PEMParser(r)) {
      Object o = p.readObject();
      JcaPEMKeyConverter conv = new JcaPEMKeyConverter().setProvider(SoftwareSigner.BC);
      if (o instanceof PEMKeyPair kp) {
        return conv.getKeyPair(kp);
      }
      if (o instanceof PrivateKeyInfo pki) {
        PrivateKey priv = conv.getPrivateKey(pki);
        return new KeyPair(PublicKeys.derivePublic(priv), priv);
      }
      throw new IOException(path + " holds no private key PEM block");
    }
  }

  static void writePrivateKey(Path path, PrivateKey key) throws IOException {
    writeSecret(path, toPem(key));
  }

  // The private key never exists on disk with wider permissions: written 0600 to a temporary
  // file, fsync'd, then moved into place atomically.
  static void writeSecret(Path path, String pem) throws IOException {
    Files.createDirectories(path.toAbsolutePath().getParent());
    Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(tmp);
    }
    try (Writer w =
        Files.newBufferedWriter(tmp, StandardCharsets.US_ASCII, StandardOpenOption.WRITE)) {
      w.write(pem);
    }
    try (var ch = java.nio.channels.FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    try {
      Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
      throw new IOException("cannot move key into place at " + path, e);
    }
  }

  public static String toPem(Object keyOrInfo) throws IOException {
    StringWriter sw = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
      w.writeObject(keyOrInfo);
    }
    return sw.toString();
  }

  /** PKIX "PUBLIC KEY" PEM, as cosign and Rekor publish keys. */
  public static String publicKeyPem(PublicKey key) throws IOException {
    return toPem(SubjectPublicKeyInfo.getInstance(key.getEncoded()));
  }
}
