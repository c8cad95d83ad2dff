package dev.airseal.verify.x509;

import dev.airseal.trust.SelfSigned;
import dev.airseal.verify.VerificationException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * What a certificate claims to be. Sigstore certificates are X.509 v3 with unambiguous roles: a CA
 * has a critical BasicConstraints with cA and KeyUsage keyCertSign; a leaf has neither, and has
 * digitalSignature and the code-signing EKU. A certificate whose extensions contradict each other
 * is refused outright rather than classified, as sigstore-python does.
 */
public final class CertificateRoles {
  static final String CODE_SIGNING = "1.3.6.1.5.5.7.3.3";
  static final String BASIC_CONSTRAINTS = "2.5.29.19";
  private static final int DIGITAL_SIGNATURE = 0;
  private static final int KEY_CERT_SIGN = 5;

  private CertificateRoles() {}

  public static boolean isCa(X509Certificate c) throws VerificationException {
    requireV3(c);
    if (c.getExtensionValue(BASIC_CONSTRAINTS) == null) {
      return false;
    }
    // RFC 5280 4.2.1.9: CAs MUST mark BasicConstraints critical.
    if (!c.getCriticalExtensionOIDs().contains(BASIC_CONSTRAINTS)) {
      throw invalid(c, "non-critical BasicConstraints");
    }
    boolean ca = c.getBasicConstraints() >= 0;
    boolean[] usage = c.getKeyUsage();
    if (usage == null) {
      throw invalid(c, "missing KeyUsage");
    }
    boolean certSign = usage.length > KEY_CERT_SIGN && usage[KEY_CERT_SIGN];
    if (ca != certSign) {
      throw invalid(c, "KeyUsage.keyCertSign=" + certSign + " but BasicConstraints.cA=" + ca);
    }
    return ca;
  }

  public static boolean isRootCa(X509Certificate c) throws VerificationException {
    return isCa(c) && SelfSigned.is(c);
  }

  /** A Sigstore signing leaf: not a CA, digitalSignature, code-signing EKU. */
  public static boolean isLeaf(X509Certificate c) throws VerificationException {
    if (isCa(c)) {
      return false;
    }
    boolean[] usage = c.getKeyUsage();
    if (usage == null) {
      throw invalid(c, "missing KeyUsage");
    }
    if (usage.length <= DIGITAL_SIGNATURE || !usage[DIGITAL_SIGNATURE]) {
      throw invalid(c, "leaf lacks KeyUsage.digitalSignature");
    }
    List<String> eku;
    try {
      eku = c.getExtendedKeyUsage();
    } catch (CertificateParsingException e) {
      throw invalid(c, "unreadable ExtendedKeyUsage: " + e.getMessage());
    }
    if (eku == null) {
      throw invalid(c, "missing ExtendedKeyUsage");
    }
    return eku.contains(CODE_SIGNING);
  }

  private static void requireV3(X509Certificate c) throws VerificationException {
    if (c.getVersion() != 3) {
      throw invalid(c, "X.509 version " + c.getVersion() + ", Sigstore needs v3");
    }
  }

  private static VerificationException invalid(X509Certificate c, String why) {
    return new VerificationException(
        "invalid X.509 certificate " + c.getSubjectX500Principal() + ": " + why);
  }
}
