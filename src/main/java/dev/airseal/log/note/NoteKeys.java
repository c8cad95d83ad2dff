package dev.airseal.log.note;

import dev.airseal.log.Rfc6962;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Provider;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.nist.NISTNamedCurves;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** Key material and key hashes for the note signature types we support. */
final class NoteKeys {
  static final Provider BC = new BouncyCastleProvider();

  // SPEC: "The ECDSA curve MUST be one of NIST P-256, NIST P-384, or NIST P-521".
  private static final Set<ASN1ObjectIdentifier> ECDSA_CURVES =
      Set.of(
          NISTNamedCurves.getOID("P-256"),
          NISTNamedCurves.getOID("P-384"),
          NISTNamedCurves.getOID("P-521"));

  private NoteKeys() {}

  /** SHA-256(name || 0x0A || type || key)[:4], the spec's recommended key ID. */
  static byte[] typedKeyHash(String name, byte type, byte[] key) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(name.getBytes(StandardCharsets.UTF_8));
    b.write('\n');
    b.write(type);
    b.writeBytes(key);
    return truncate(Rfc6962.sha256(b.toByteArray()));
  }

  /** SHA-256(PKIX DER)[:4]: the ECDSA key ID, which is also the prefix of Rekor's log ID. */
  static byte[] pkixKeyHash(byte[] der) {
    return truncate(Rfc6962.sha256(der));
  }

  /** c2sp.org/static-ct-api: SHA-256(name || 0x0A || 0x05 || SHA-256(PKIX DER))[:4]. */
  static byte[] rfc6962KeyHash(String name, byte[] der) {
    return typedKeyHash(name, NoteVerifier.TYPE_RFC6962_STH, Rfc6962.sha256(der));
  }

  /** Throws IllegalArgumentException if {@code der} is not a PKIX SubjectPublicKeyInfo. */
  static SubjectPublicKeyInfo spki(byte[] der) {
    try {
      return SubjectPublicKeyInfo.getInstance(der);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("key is not a PKIX public key", e);
    }
  }

  static boolean isEd25519(SubjectPublicKeyInfo spki) {
    return spki.getAlgorithm().getAlgorithm().equals(EdECObjectIdentifiers.id_Ed25519);
  }

  static boolean isEcdsa(SubjectPublicKeyInfo spki) {
    return spki.getAlgorithm().getAlgorithm().equals(X9ObjectIdentifiers.id_ecPublicKey);
  }

  static boolean isRsa(SubjectPublicKeyInfo spki) {
    return spki.getAlgorithm().getAlgorithm().equals(PKCSObjectIdentifiers.rsaEncryption);
  }

  /** Parses a PKIX ECDSA key on an allowed curve; throws IllegalArgumentException otherwise. */
  static PublicKey ecdsaKey(byte[] der) {
    SubjectPublicKeyInfo spki = spki(der);
    if (!isEcdsa(spki)) {
      throw new IllegalArgumentException(
          "key algorithm " + spki.getAlgorithm().getAlgorithm() + " is not ECDSA");
    }
    Object curve = spki.getAlgorithm().getParameters();
    if (!(curve instanceof ASN1ObjectIdentifier oid) || !ECDSA_CURVES.contains(oid)) {
      throw new IllegalArgumentException(
          "ECDSA curve " + curve + " is not NIST P-256, P-384 or P-521");
    }
    return pkixKey("EC", der);
  }

  static PublicKey pkixKey(String algorithm, byte[] der) {
    try {
      return KeyFactory.getInstance(algorithm, BC).generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "invalid " + algorithm + " public key: " + e.getMessage(), e);
    }
  }

  private static byte[] truncate(byte[] digest) {
    return Arrays.copyOf(digest, NoteNames.KEY_HASH_SIZE);
  }
}
