package dev.airseal.log.rekor.kind;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * A verifier as Rekor's {@code pkg/pki/x509} reads it: one PEM {@code PUBLIC KEY} or {@code
 * CERTIFICATE}. Its canonical value is what Rekor writes back into the log: the key re-marshalled
 * as PKIX DER, or the certificate's own DER, PEM-encoded the way Go's encoding/pem does.
 */
final class RekorKey {
  private static final String PUBLIC_KEY = "PUBLIC KEY";
  private static final String CERTIFICATE = "CERTIFICATE";

  private final KeyType type;
  private final PublicKey publicKey;
  private final SubjectPublicKeyInfo spki;
  private final byte[] canonicalPem;
  private final List<String> subjects;

  private RekorKey(
      KeyType type,
      PublicKey publicKey,
      SubjectPublicKeyInfo spki,
      byte[] canonicalPem,
      List<String> subjects) {
    this.type = type;
    this.publicKey = publicKey;
    this.spki = spki;
    this.canonicalPem = canonicalPem;
    this.subjects = List.copyOf(subjects);
  }

  KeyType type() {
    return type;
  }

  PublicKey publicKey() {
    return publicKey;
  }

  /** The raw key bits: the EC point, the RSA key structure, or the 32 Ed25519 bytes. */
  byte[] rawKey() {
    return spki.getPublicKeyData().getBytes();
  }

  byte[] canonicalPem() {
    return canonicalPem.clone();
  }

  /** Certificate SANs in the order of sigstore's cryptoutils.GetSubjectAlternateNames; none for a bare key. */
  List<String> subjects() {
    return subjects;
  }

  static RekorKey parse(byte[] pem, String path) throws InvalidEntryException {
    // Rekor trims whitespace, then takes the first PEM block; anything after it makes Rekor read
    // the whole input as a certificate chain.
    String text = new String(pem, StandardCharsets.UTF_8).strip();
    PemObject block;
    String rest;
    try (PemReader reader = new PemReader(new StringReader(text))) {
      block = reader.readPemObject();
      int end = text.indexOf("-----END ");
      int eol = end < 0 ? -1 : text.indexOf('\n', end);
      rest = eol < 0 ? "" : text.substring(eol + 1).strip();
    } catch (IOException | RuntimeException e) {
      throw new InvalidEntryException(path + ": invalid public key: failure decoding PEM");
    }
    if (block == null) {
      throw new InvalidEntryException(path + ": invalid public key: failure decoding PEM");
    }
    if (!rest.isEmpty()) {
      // Rekor verifies a chain against its own last certificate (x509.verifyCertChain); we have not
      // implemented that, and refuse rather than accept a chain we did not check.
      throw new InvalidEntryException(
          path + ": certificate chains (more than one PEM block) are not supported");
    }
    return switch (block.getType()) {
      case PUBLIC_KEY -> fromPublicKey(block.getContent(), path);
      case CERTIFICATE -> fromCertificate(block.getContent(), path);
      default ->
          throw new InvalidEntryException(
              path + ": invalid public key: cannot handle type " + block.getType());
    };
  }

  static RekorKey fromPublicKey(byte[] der, String path) throws InvalidEntryException {
    SubjectPublicKeyInfo spki;
    try {
      spki = SubjectPublicKeyInfo.getInstance(ASN1Primitive.fromByteArray(der));
    } catch (IOException | RuntimeException e) {
      throw new InvalidEntryException(path + ": invalid PKIX public key: " + e.getMessage());
    }
    KeyType type = check(spki, path);
    // Go re-marshals the parsed key, so a BER or otherwise non-minimal input comes out as DER.
    byte[] canonicalDer;
    try {
      canonicalDer = spki.getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      throw new InvalidEntryException(path + ": invalid PKIX public key: " + e.getMessage());
    }
    return new RekorKey(
        type, toJca(spki, path), spki, Pem.encode(PUBLIC_KEY, canonicalDer), List.of());
  }

  static RekorKey fromCertificate(byte[] der, String path) throws InvalidEntryException {
    X509CertificateHolder cert;
    try {
      cert = new X509CertificateHolder(der);
    } catch (IOException | RuntimeException e) {
      throw new InvalidEntryException(path + ": invalid certificate: " + e.getMessage());
    }
    SubjectPublicKeyInfo spki = cert.getSubjectPublicKeyInfo();
    KeyType type = check(spki, path);
    // Go keeps the certificate's raw bytes (cert.Raw), so no re-encoding here.
    return new RekorKey(
        type,
        toJca(spki, path),
        spki,
        Pem.encode(CERTIFICATE, der),
        SubjectAltNames.of(cert));
  }

  /** Go's x509.ParsePKIXPublicKey accepts only these; sigstore's LoadVerifier needs one of them. */
  private static KeyType check(SubjectPublicKeyInfo spki, String path)
      throws InvalidEntryException {
    AlgorithmIdentifier alg = spki.getAlgorithm();
    ASN1ObjectIdentifier oid = alg.getAlgorithm();
    byte[] bits = spki.getPublicKeyData().getBytes();
    if (oid.equals(PKCSObjectIdentifiers.rsaEncryption)) {
      if (!DERNull.INSTANCE.equals(alg.getParameters())) {
        throw new InvalidEntryException(path + ": x509: RSA key missing NULL parameters");
      }
      return KeyType.RSA;
    }
    if (oid.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
      if (!(alg.getParameters() instanceof ASN1ObjectIdentifier curve) || !isGoCurve(curve)) {
        throw new InvalidEntryException(
            path + ": x509: unsupported elliptic curve " + alg.getParameters()
                + " (accepted: P-224, P-256, P-384, P-521)");
      }
      if (bits.length == 0 || bits[0] != 0x04) {
        throw new InvalidEntryException(path + ": x509: EC point must be uncompressed");
      }
      return KeyType.ECDSA;
    }
    if (oid.equals(EdECObjectIdentifiers.id_Ed25519)) {
      if (alg.getParameters() != null || bits.length != 32) {
        throw new InvalidEntryException(path + ": x509: invalid Ed25519 public key");
      }
      return KeyType.ED25519;
    }
    throw new InvalidEntryException(
        path + ": unsupported public key algorithm " + oid
            + " (accepted: RSA, ECDSA P-224/P-256/P-384/P-521, Ed25519)");
  }

  private static boolean isGoCurve(ASN1ObjectIdentifier curve) {
    return curve.equals(SECObjectIdentifiers.secp224r1)
        || curve.equals(X9ObjectIdentifiers.prime256v1)
        || curve.equals(SECObjectIdentifiers.secp384r1)
        || curve.equals(SECObjectIdentifiers.secp521r1);
  }

  private static PublicKey toJca(SubjectPublicKeyInfo spki, String path)
      throws InvalidEntryException {
    try {
      return new JcaPEMKeyConverter().setProvider(Verifiers.BC).getPublicKey(spki);
    } catch (IOException | RuntimeException e) {
      throw new InvalidEntryException(path + ": invalid public key: " + e.getMessage());
    }
  }

  /** Go's encoding/pem: 64-column base64 lines, each ending in a newline. */
  static final class Pem {
    private Pem() {}

    static byte[] encode(String type, byte[] der) {
      String b64 = Base64.getEncoder().encodeToString(der);
      StringBuilder out = new StringBuilder("-----BEGIN ").append(type).append("-----\n");
      for (int i = 0; i < b64.length(); i += 64) {
        out.append(b64, i, Math.min(b64.length(), i + 64)).append('\n');
      }
      out.append("-----END ").append(type).append("-----\n");
      return out.toString().getBytes(StandardCharsets.US_ASCII);
    }
  }
}
