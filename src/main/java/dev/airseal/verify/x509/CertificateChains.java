package dev.airseal.verify.x509;

import dev.airseal.crypto.Ecdsa;
import dev.airseal.trust.CertificateAuthority;
import dev.airseal.trust.SelfSigned;
import dev.airseal.trust.TrustedRoot;
import dev.airseal.verify.VerificationException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Certification paths from a signing leaf to a certificate authority of the trusted root, checked
 * at one instant (the time the signature was made, as a log or TSA attests it — not now: Fulcio
 * leaves live ten minutes).
 */
public final class CertificateChains {
  static final Provider BC = new BouncyCastleProvider();
  private static final int MAX_DEPTH = 8;
  // ecdsa-with-SHA256/384/512 (RFC 5758) and the hash each signs.
  private static final Map<String, String> ECDSA_HASHES = Map.of(
      "1.2.840.10045.4.3.2", "SHA-256", "1.2.840.10045.4.3.3", "SHA-384", "1.2.840.10045.4.3.4", "SHA-512");
  // Extensions this class (or FulcioIdentity, for the SAN) evaluates. Any other critical extension
  // (name constraints, policy constraints, ...) would be a rule we silently skip, so refuse it.
  private static final Set<String> UNDERSTOOD_CRITICAL =
      Set.of("2.5.29.15", "2.5.29.17", "2.5.29.19", "2.5.29.37");

  private CertificateChains() {}

  /**
   * Builds and checks the chain from {@code leaf} (with optional intermediates from the bundle)
   * to a CA of {@code root} valid at {@code at}: every certificate valid at {@code at}, the leaf a
   * code-signing leaf, every issuer a CA within its path length, every signature good.
   *
   * @return the CA the path ends in
   */
  public static CertificateAuthority verify(
      X509Certificate leaf, List<X509Certificate> bundleIntermediates, TrustedRoot root, Instant at)
      throws VerificationException {
    return verifyChain(leaf, bundleIntermediates, root, at).authority();
  }

  /** As {@link #verify}, returning the whole path (the SCT check needs the leaf's issuer). */
  public static VerifiedChain verifyChain(
      X509Certificate leaf, List<X509Certificate> bundleIntermediates, TrustedRoot root, Instant at)
      throws VerificationException {
    for (X509Certificate c : bundleIntermediates) {
      // A root is trusted because the trusted root names it, never because a bundle carries it;
      // a bundle that ships one is malformed (conformance: bundle-with-root-cert_fail).
      if (SelfSigned.is(c)) {
        throw new VerificationException(
            "bundle certificate chain contains a self-signed root " + describe(c)
                + "; roots come only from the trusted root");
      }
    }
    if (!CertificateRoles.isLeaf(leaf)) {
      throw new VerificationException(
          "certificate " + describe(leaf) + " is not a code-signing leaf (CA, or no code-signing EKU)");
    }
    checkValidAt(leaf, at);
    checkCriticalExtensions(leaf);
    if (root.certificateAuthorities().isEmpty()) {
      throw new VerificationException("trusted root names no certificate authority");
    }
    List<String> failures = new ArrayList<>();
    for (CertificateAuthority ca : root.certificateAuthorities()) {
      String name = ca.uri() + " (" + ca.root().getSubjectX500Principal() + ")";
      if (!ca.validFor().contains(at)) {
        failures.add(name + ": trusted only " + ca.validFor());
        continue;
      }
      try {
        return new VerifiedChain(ca, build(leaf, bundleIntermediates, ca, root, at));
      } catch (VerificationException e) {
        failures.add(name + ": " + e.getMessage());
      }
    }
    throw new VerificationException(
        "no certificate authority of the trusted root issued " + describe(leaf) + " at " + at
            + ": " + String.join("; ", failures));
  }

  private static List<X509Certificate> build(
      X509Certificate leaf, List<X509Certificate> bundleIntermediates, CertificateAuthority ca,
      TrustedRoot root, Instant at) throws VerificationException {
    List<X509Certificate> candidates = new ArrayList<>(ca.chain());
    candidates.addAll(bundleIntermediates);
    X509Certificate anchor = ca.root();
    List<X509Certificate> path = new ArrayList<>(List.of(leaf));
    X509Certificate current = leaf;
    while (!current.equals(anchor)) {
      if (path.size() > MAX_DEPTH) {
        throw new VerificationException("path longer than " + MAX_DEPTH + " certificates");
      }
      X509Certificate issuer = issuerOf(current, candidates, ca, root);
      if (!CertificateRoles.isCa(issuer)) {
        throw new VerificationException("issuer " + describe(issuer) + " is not a CA");
      }
      // Intermediates between this issuer and the leaf; RFC 5280 4.2.1.9 pathLenConstraint.
      int below = path.size() - 1;
      if (issuer.getBasicConstraints() < below) {
        throw new VerificationException(
            "issuer " + describe(issuer) + " allows path length " + issuer.getBasicConstraints()
                + " but " + below + " intermediate(s) follow it");
      }
      Validity validity =
          ca.chain().contains(issuer)
              ? root.derived(List.of("validity", issuer), () -> Validity.of(issuer))
              : Validity.of(issuer);
      checkValidAt(issuer, validity, at);
      checkCriticalExtensions(issuer);
      path.add(issuer);
      current = issuer;
    }
    return path;
  }

  private static X509Certificate issuerOf(
      X509Certificate c, List<X509Certificate> candidates, CertificateAuthority ca, TrustedRoot root)
      throws VerificationException {
    boolean nameMatched = false;
    for (X509Certificate candidate : candidates) {
      if (candidate.equals(c)
          || !candidate.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
        continue;
      }
      nameMatched = true;
      if (signedBy(c, candidate, ca, root)) {
        return candidate;
      }
      // Same name, other key (a rotated CA): keep looking.
    }
    throw new VerificationException(
        nameMatched
            ? "signature of " + describe(c) + " does not verify under any " + c.getIssuerX500Principal()
            : "issuer " + c.getIssuerX500Principal() + " of " + describe(c) + " not in the CA chain");
  }

  /**
   * Whether {@code issuer}'s key verifies {@code c}'s signature. Work on the trusted root's own
   * certificates is kept with the parsed root: a CA certificate's signature by another is checked
   * once, and a CA key is converted once into the ECDSA engine's key object (crypto/Ecdsa).
   * Certificates from bundles are never remembered (a stream of distinct leaves would fill memory).
   */
  private static boolean signedBy(
      X509Certificate c, X509Certificate issuer, CertificateAuthority ca, TrustedRoot root) {
    if (!ca.chain().contains(issuer)) {
      return verifies(c, issuer.getPublicKey());
    }
    PublicKey key = root.preparedKey(issuer.getPublicKey());
    if (!ca.chain().contains(c)) {
      return verifies(c, key);
    }
    return root.derived(List.of("ca-signed", c, issuer), () -> verifies(c, key));
  }

  private static boolean verifies(X509Certificate c, PublicKey key) {
    String hash = ECDSA_HASHES.get(c.getSigAlgOID());
    if (hash != null && key instanceof ECPublicKey) {
      return ecdsaVerifies(c, key, hash);
    }
    try {
      c.verify(key, BC);
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /**
   * An ECDSA certificate signature through crypto/Ecdsa's engine, with the check that
   * X509Certificate.verify would make first: the algorithm inside the signed part must be the one
   * outside it. ECDSA algorithm identifiers carry no parameters, so each has one DER encoding, and
   * the inner one is compared as bytes, found by walking the TBS's first fields (a full ASN.1 parse
   * of every leaf cost a tenth of a warm verification).
   */
  static boolean ecdsaVerifies(X509Certificate c, PublicKey key, String hash) {
    try {
      byte[] tbs = c.getTBSCertificate();
      if (c.getSigAlgParams() != null || !Arrays.equals(innerAlgorithm(tbs), algorithmIdentifier(c.getSigAlgOID()))) {
        return false;
      }
      return Ecdsa.verify(key, hash, tbs, c.getSignature());
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  /** TBSCertificate ::= SEQUENCE { [0] version OPTIONAL, serialNumber, signature, ... }: signature's bytes. */
  static byte[] innerAlgorithm(byte[] tbs) {
    int pos = contentStart(tbs, 0, 0x30);
    if (tbs[pos] == (byte) 0xA0) {
      pos = end(tbs, pos);
    }
    if (tbs[pos] != 0x02) {
      throw new IllegalArgumentException("TBSCertificate has no serial number");
    }
    pos = end(tbs, pos);
    return Arrays.copyOfRange(tbs, pos, end(tbs, pos));
  }

  // DER: the offset just past the element at pos, or of its contents; long lengths up to 3 bytes.
  private static int end(byte[] der, int pos) {
    int[] header = header(der, pos);
    return pos + header[0] + header[1];
  }

  private static int contentStart(byte[] der, int pos, int tag) {
    if ((der[pos] & 0xff) != tag) {
      throw new IllegalArgumentException("unexpected DER tag " + (der[pos] & 0xff));
    }
    return pos + header(der, pos)[0];
  }

  /** {header length, content length} of the element at pos. */
  private static int[] header(byte[] der, int pos) {
    int first = der[pos + 1] & 0xff;
    if (first < 0x80) {
      return new int[] {2, first};
    }
    int n = first & 0x7f;
    if (n == 0 || n > 3) {
      throw new IllegalArgumentException("unsupported DER length");
    }
    int len = 0;
    for (int i = 0; i < n; i++) {
      len = (len << 8) | (der[pos + 2 + i] & 0xff);
    }
    if (pos + 2 + n + len > der.length) {
      throw new IllegalArgumentException("DER element runs past its end");
    }
    return new int[] {2 + n, len};
  }

  /** The DER AlgorithmIdentifier of an ECDSA signature OID: SEQUENCE { OID }, no parameters. */
  private static byte[] algorithmIdentifier(String oid) {
    // 1.2.840.10045.4.3.N encodes as 06 08 2A 86 48 CE 3D 04 03 N.
    int n = Integer.parseInt(oid.substring(oid.lastIndexOf('.') + 1));
    return new byte[] {0x30, 0x0A, 0x06, 0x08, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x04, 0x03, (byte) n};
  }

  /** RFC 5280 validity is inclusive at both ends. */
  static void checkValidAt(X509Certificate c, Instant at) throws VerificationException {
    checkValidAt(c, Validity.of(c), at);
  }

  private static void checkValidAt(X509Certificate c, Validity v, Instant at) throws VerificationException {
    if (at.isBefore(v.notBefore()) || at.isAfter(v.notAfter())) {
      throw new VerificationException(
          "certificate " + describe(c) + " not valid at " + at + ": valid " + v.notBefore() + " to "
              + v.notAfter());
    }
  }

  /**
   * A certificate's validity period. Kept with the parsed root for its CA certificates: the
   * BouncyCastle certificate class parses its dates again on every call.
   */
  private record Validity(Instant notBefore, Instant notAfter) {
    static Validity of(X509Certificate c) {
      return new Validity(c.getNotBefore().toInstant(), c.getNotAfter().toInstant());
    }
  }

  private static void checkCriticalExtensions(X509Certificate c) throws VerificationException {
    Set<String> critical = c.getCriticalExtensionOIDs();
    if (critical == null) {
      return;
    }
    for (String oid : critical) {
      if (!UNDERSTOOD_CRITICAL.contains(oid)) {
        throw new VerificationException(
            "certificate " + describe(c) + " has unsupported critical extension " + oid);
      }
    }
  }

  /** Fulcio leaves have an empty subject; name them by serial number instead. */
  static String describe(X509Certificate c) {
    String subject = c.getSubjectX500Principal().getName();
    return subject.isEmpty() ? "serial " + c.getSerialNumber().toString(16) : "\"" + subject + "\"";
  }
}
