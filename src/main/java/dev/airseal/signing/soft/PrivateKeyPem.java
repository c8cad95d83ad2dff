package dev.airseal.signing.soft;

import java.io.IOException;
import java.io.StringReader;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Object;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * The private key PEM blocks cosign reads: its encrypted blocks, and the unencrypted PKCS#8 ({@code
 * PRIVATE KEY}), SEC1 ({@code EC PRIVATE KEY}) and PKCS#1 ({@code RSA PRIVATE KEY}) blocks that
 * {@code cosign import-key-pair} takes. Only the first PEM block counts, as with Go's pem.Decode.
 * Every key passes {@link CosignKeyPolicy}.
 */
final class PrivateKeyPem {
  static final String PKCS8 = "PRIVATE KEY";
  static final String SEC1 = "EC PRIVATE KEY";
  static final String PKCS1 = "RSA PRIVATE KEY";

  private PrivateKeyPem() {}

  static KeyPair read(String pem, String source, PasswordSource passwords) throws KeyFileException {
    PemObject block = firstBlock(pem, source);
    String type = block.getType();
    PrivateKeyInfo info;
    try {
      if (CosignKeyFormat.isEncrypted(type)) {
        byte[] password = passwords.password(false);
        byte[] der;
        try {
          der = ScryptSecretBox.decrypt(block.getContent(), password, source);
        } finally {
          Arrays.fill(password, (byte) 0);
        }
        info = pkcs8(der, source + " (decrypted " + type + ")");
      } else if (type.equals(PKCS8)) {
        info = pkcs8(block.getContent(), source);
      } else if (type.equals(SEC1)) {
        ECPrivateKey sec1 = ECPrivateKey.getInstance(block.getContent());
        ASN1Object curve = sec1.getParametersObject();
        if (curve == null) {
          throw new KeyFileException(source + ": EC PRIVATE KEY does not name its curve");
        }
        info =
            new PrivateKeyInfo(
                new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, curve), sec1);
      } else if (type.equals(PKCS1)) {
        info =
            new PrivateKeyInfo(
                new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
                RSAPrivateKey.getInstance(block.getContent()));
      } else {
        throw new KeyFileException(
            String.format(
                "%s: unsupported PEM block \"%s\"; want a private key (%s, %s, %s or %s)",
                source, type, PKCS8, SEC1, PKCS1, CosignKeyFormat.SIGSTORE_TYPE));
      }
    } catch (IOException | IllegalArgumentException | IllegalStateException e) {
      if (e instanceof KeyFileException k) {
        throw k;
      }
      throw new KeyFileException(source + ": malformed " + type + " block", e);
    }
    return toKeyPair(info, source);
  }

  private static PemObject firstBlock(String pem, String source) throws KeyFileException {
    try (PemReader r = new PemReader(new StringReader(pem))) {
      PemObject block = r.readPemObject();
      if (block == null) {
        throw new KeyFileException(source + ": invalid PEM: no PEM block found");
      }
      return block;
    } catch (IOException | RuntimeException e) {
      if (e instanceof KeyFileException k) {
        throw k;
      }
      throw new KeyFileException(source + ": invalid PEM block: " + e.getMessage(), e);
    }
  }

  private static PrivateKeyInfo pkcs8(byte[] der, String source) throws KeyFileException {
    try {
      return PrivateKeyInfo.getInstance(ASN1Primitive.fromByteArray(der));
    } catch (IOException | IllegalArgumentException | IllegalStateException e) {
      throw new KeyFileException(source + ": not a PKCS#8 private key", e);
    }
  }

  private static KeyPair toKeyPair(PrivateKeyInfo info, String source) throws KeyFileException {
    CosignKeyPolicy.check(info, source);
    try {
      PrivateKey priv = new JcaPEMKeyConverter().setProvider(SoftwareSigner.BC).getPrivateKey(info);
      return new KeyPair(PublicKeys.derivePublic(priv), priv);
    } catch (IOException | RuntimeException e) {
      throw new KeyFileException(source + ": unusable private key: " + e.getMessage(), e);
    }
  }
}
