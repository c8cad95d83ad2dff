package dev.airseal.signing.soft;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

/**
 * cosign's password-encrypted private key file ({@code cosign.key}) and its public key file ({@code
 * cosign.pub}). The PEM body is {@link ScryptSecretBox} JSON around a PKCS#8 DER key.
 */
public final class CosignKeyFormat {
  /** What cosign 2.x writes and Airseal writes. */
  public static final String SIGSTORE_TYPE = "ENCRYPTED SIGSTORE PRIVATE KEY";

  /** What cosign 1.x wrote; read only. */
  public static final String COSIGN_TYPE = "ENCRYPTED COSIGN PRIVATE KEY";

  private static final SecureRandom RANDOM = new SecureRandom();

  private CosignKeyFormat() {}

  public static boolean isEncrypted(String pemType) {
    return SIGSTORE_TYPE.equals(pemType) || COSIGN_TYPE.equals(pemType);
  }

  /** The encrypted PEM of {@code key}, with a fresh salt and nonce and the default scrypt cost. */
  public static String encrypt(PrivateKey key, byte[] password) throws KeyFileException {
    return encrypt(key, password, ScryptParams.DEFAULT, RANDOM);
  }

  static String encrypt(PrivateKey key, byte[] password, ScryptParams params, SecureRandom rnd)
      throws KeyFileException {
    byte[] der = pkcs8v1(key);
    try {
      return pem(SIGSTORE_TYPE, ScryptSecretBox.encrypt(der, password, params, rnd));
    } finally {
      Arrays.fill(der, (byte) 0);
    }
  }

  /**
   * Writes {@code keys} as cosign does: the encrypted private key readable by its owner only, the
   * PKIX public key beside it. Refuses to replace an existing private key file: losing a signing
   * key to a typo cannot be undone.
   */
  public static void writeKeyPair(
      Path privateKeyFile, Path publicKeyFile, KeyPair keys, PasswordSource passwords)
      throws IOException {
    if (Files.exists(privateKeyFile)) {
      throw new KeyFileException(privateKeyFile + " already exists; not overwriting a private key");
    }
    byte[] password = passwords.password(true);
    String pem;
    try {
      pem = encrypt(keys.getPrivate(), password);
    } finally {
      Arrays.fill(password, (byte) 0);
    }
    KeyFiles.writeSecret(privateKeyFile, pem);
    Files.writeString(
        publicKeyFile, KeyFiles.publicKeyPem(keys.getPublic()), StandardCharsets.US_ASCII);
  }

  // PKCS#8 version 1 with no attributes or embedded public key, as Go's MarshalPKCS8PrivateKey
  // writes it; some providers emit version 2 (OneAsymmetricKey) for Ed25519.
  private static byte[] pkcs8v1(PrivateKey key) throws KeyFileException {
    try {
      PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
      return new PrivateKeyInfo(info.getPrivateKeyAlgorithm(), info.parsePrivateKey())
          .getEncoded(ASN1Encoding.DER);
    } catch (IOException | RuntimeException e) {
      throw new KeyFileException("cannot encode the " + key.getAlgorithm() + " key as PKCS#8", e);
    }
  }

  // Go's pem.EncodeToMemory: 64 base64 characters a line, LF line ends.
  private static String pem(String type, byte[] body) {
    String b64 = Base64.getEncoder().encodeToString(body);
    StringBuilder sb = new StringBuilder("-----BEGIN ").append(type).append("-----\n");
    for (int i = 0; i < b64.length(); i += 64) {
      sb.append(b64, i, Math.min(b64.length(), i + 64)).append('\n');
    }
    return sb.append("-----END ").append(type).append("-----\n").toString();
  }
}
