package dev.airseal.verify;

import dev.airseal.crypto.Ecdsa;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.DigestInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Signature checks with the key-details semantics of protobuf-specs: ECDSA hashes with the digest
 * matching its curve (P-256/SHA-256, P-384/SHA-384, P-521/SHA-512), RSA is PKCS#1 v1.5 over
 * SHA-256, Ed25519 is pure over the message.
 */
final class Signatures {
  static final BouncyCastleProvider BC = new BouncyCastleProvider();

  private Signatures() {}

  /** The JCA digest a signature by {@code key} is made over, or null for Ed25519 (no prehash). */
  static String hashFor(PublicKey key) {
    if (key instanceof ECPublicKey ec) {
      int bits = ec.getParams().getCurve().getField().getFieldSize();
      return bits <= 256 ? "SHA-256" : bits <= 384 ? "SHA-384" : "SHA-512";
    }
    if (key instanceof RSAPublicKey) {
      return "SHA-256";
    }
    return null;
  }

  /** Verifies {@code sig} over {@code message}. */
  static boolean verifyMessage(PublicKey key, byte[] message, byte[] sig) {
    String hash = hashFor(key);
    if (hash == null) {
      return verify("Ed25519", bcKey(key), message, sig);
    }
    return verifyDigest(key, hash, Digests.digest(hash, message), sig);
  }

  /**
   * Verifies {@code sig} over a precomputed {@code digest} made with {@code jcaHash}. Ed25519 has
   * no prehashed form in Sigstore's message signatures, so it always fails here.
   */
  static boolean verifyDigest(PublicKey key, String jcaHash, byte[] digest, byte[] sig) {
    if (key instanceof ECPublicKey) {
      return Ecdsa.verifyDigest(key, digest, sig);
    }
    if (key instanceof RSAPublicKey) {
      byte[] info;
      try {
        info = new DigestInfo(new AlgorithmIdentifier(oid(jcaHash), DERNull.INSTANCE), digest).getEncoded();
      } catch (IOException | IllegalArgumentException e) {
        return false;
      }
      return verify("NONEwithRSA", key, info, sig);
    }
    return false;
  }

  private static org.bouncycastle.asn1.ASN1ObjectIdentifier oid(String jcaHash) {
    return switch (jcaHash) {
      case "SHA-256" -> NISTObjectIdentifiers.id_sha256;
      case "SHA-384" -> NISTObjectIdentifiers.id_sha384;
      case "SHA-512" -> NISTObjectIdentifiers.id_sha512;
      default -> throw new IllegalArgumentException("unsupported digest " + jcaHash);
    };
  }

  /** BouncyCastle's Ed25519 engine wants its own key class; the SPKI DER converts any key. */
  private static PublicKey bcKey(PublicKey key) {
    try {
      return java.security.KeyFactory.getInstance("Ed25519", BC)
          .generatePublic(new java.security.spec.X509EncodedKeySpec(key.getEncoded()));
    } catch (GeneralSecurityException | RuntimeException e) {
      return key;
    }
  }

  private static boolean verify(String algorithm, PublicKey key, byte[] data, byte[] sig) {
    try {
      Signature s = Signature.getInstance(algorithm, BC);
      s.initVerify(key);
      s.update(data);
      return s.verify(sig);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }
}
