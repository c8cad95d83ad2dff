package dev.airseal.verify;

import dev.airseal.trust.CertificateAuthority;
import dev.airseal.trust.TrustedRoot;
import dev.airseal.verify.x509.CertificateChains;
import dev.airseal.verify.x509.FulcioIdentity;
import dev.airseal.verify.x509.IdentityPolicy;
import dev.airseal.verify.x509.Scts;
import dev.airseal.verify.x509.VerifiedChain;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * A Fulcio leaf certificate: its shape in the bundle, its validity at every verified time, its
 * chain to a trusted CA, its SCTs and the identity it names.
 */
final class KeylessChecks {
  private KeylessChecks() {}

  /** Before anything is verified with the leaf's key: what the bundle's chain may hold. */
  static void shape(Bundle.Certificates certs, TrustedRoot root) throws CheckFailure {
    X509Certificate leaf = certs.leaf();
    if (leaf.getBasicConstraints() >= 0) {
      throw new CheckFailure(
          "certificate.shape", "the signing certificate " + leaf.getSubjectX500Principal() + " is a CA");
    }
    // SPEC (protobuf-specs Bundle): the chain "MUST NOT include a root CA". Old clients bundled the
    // public-good root anyway, so a root the trusted root also holds is tolerated (and ignored); a
    // root from anywhere else is an attempt to bring one's own anchor.
    for (X509Certificate c : certs.chain().subList(1, certs.chain().size())) {
      if (c.getSubjectX500Principal().equals(c.getIssuerX500Principal()) && !trusted(c, root)) {
        throw new CheckFailure(
            "certificate.shape",
            "bundle's chain holds the root " + c.getSubjectX500Principal() + " (not before "
                + c.getNotBefore().toInstant() + "), which is not in the trusted root");
      }
    }
  }

  private static boolean trusted(X509Certificate c, TrustedRoot root) {
    for (CertificateAuthority ca : root.certificateAuthorities()) {
      if (ca.chain().contains(c)) {
        return true;
      }
    }
    return false;
  }

  /** Validity, chain and (once) SCTs and identity; {@code times} are the verified signing times. */
  static void verify(
      Bundle.Certificates certs,
      List<Instant> times,
      IdentityPolicy identity,
      int sctThreshold,
      TrustedRoot root,
      List<Reason> passed)
      throws CheckFailure {
    X509Certificate leaf = certs.leaf();
    // As sigstore-go: the chain above the leaf comes from the trusted root only. Certificates the
    // bundle adds (v0.1/v0.2 chains, possibly with a root of another instance) prove nothing.
    List<X509Certificate> intermediates = List.of();
    VerifiedChain chain = null;
    for (Instant t : times) {
      Date d = Date.from(t);
      if (d.before(leaf.getNotBefore()) || d.after(leaf.getNotAfter())) {
        throw new CheckFailure(
            "certificate.validity",
            "signing time " + t + " is outside the certificate's validity "
                + leaf.getNotBefore().toInstant() + " to " + leaf.getNotAfter().toInstant());
      }
      try {
        chain = CertificateChains.verifyChain(leaf, intermediates, root, t);
      } catch (VerificationException | RuntimeException e) {
        throw new CheckFailure("certificate.chain", "at " + t + ": " + e.getMessage());
      }
    }
    if (chain == null) {
      throw new CheckFailure("certificate.chain", "no verified time to check the chain at");
    }
    CertificateAuthority ca = chain.authority();
    passed.add(new Reason(
        "certificate.chain",
        "issued by " + ca.subjectCommonName() + " (" + ca.uri() + "), valid at " + times));
    if (sctThreshold > 0) {
      try {
        Scts.verify(leaf, chain.issuer(), root, sctThreshold);
      } catch (VerificationException | RuntimeException e) {
        throw new CheckFailure("certificate.sct", e.getMessage());
      }
      passed.add(new Reason("certificate.sct", sctThreshold + " valid SCT(s)"));
    }
    FulcioIdentity id;
    try {
      id = FulcioIdentity.of(leaf);
      identity.check(id);
    } catch (VerificationException | RuntimeException e) {
      throw new CheckFailure("certificate.identity", e.getMessage());
    }
    passed.add(new Reason("certificate.identity", String.valueOf(id)));
  }
}
