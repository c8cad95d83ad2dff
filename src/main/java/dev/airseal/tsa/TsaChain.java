package dev.airseal.tsa;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;

/**
 * The TSA's certificate chain, leaf (the TSA certificate) first and the self-signed root last, in
 * the order sigstore's timestamp-authority serves it and a trusted root's {@code certChain} lists
 * it. Instances are structurally sound: at least two certificates, each signed by the next.
 */
public final class TsaChain {
  private final List<X509CertificateHolder> certificates;

  private TsaChain(List<X509CertificateHolder> certificates) {
    this.certificates = List.copyOf(certificates);
  }

  /** A chain from its certificates, leaf first, after checking that each is signed by the next. */
  public static TsaChain of(List<X509CertificateHolder> certificates) throws TsaChainException {
    if (certificates.size() < 2) {
      throw new TsaChainException(
          "a TSA chain needs the TSA certificate and its root, found " + certificates.size()
              + " certificate(s)");
    }
    for (int i = 0; i < certificates.size(); i++) {
      X509CertificateHolder cert = certificates.get(i);
      X509CertificateHolder issuer = certificates.get(Math.min(i + 1, certificates.size() - 1));
      if (!cert.getIssuer().equals(issuer.getSubject()) || !signedBy(cert, issuer)) {
        throw new TsaChainException(
            "certificate " + i + " (" + cert.getSubject() + ") is not signed by "
                + issuer.getSubject());
      }
    }
    return new TsaChain(certificates);
  }

  private static boolean signedBy(X509CertificateHolder cert, X509CertificateHolder issuer) {
    try {
      return cert.isSignatureValid(new JcaContentVerifierProviderBuilder().build(issuer));
    } catch (CertException | OperatorCreationException | java.security.cert.CertificateException e) {
      return false;
    }
  }

  public List<X509CertificateHolder> certificates() {
    return certificates;
  }

  public X509CertificateHolder leaf() {
    return certificates.get(0);
  }

  public X509CertificateHolder root() {
    return certificates.get(certificates.size() - 1);
  }

  /**
   * Checks that this chain can sign tokens with {@code tsaKey} at {@code now}: the leaf certifies
   * that key, has the critical timeStamping-only EKU RFC 3161 §2.3 requires, and no certificate
   * has expired.
   */
  public void checkUsableFor(PublicKey tsaKey, Instant now) throws TsaChainException {
    if (!leaf().getSubjectPublicKeyInfo().equals(SubjectPublicKeyInfo.getInstance(tsaKey.getEncoded()))) {
      throw new TsaChainException(
          "the TSA certificate (" + leaf().getSubject() + ", serial " + leaf().getSerialNumber()
              + ") certifies another key than the configured TSA key");
    }
    // SPEC: RFC 3161 §2.3 "The corresponding certificate MUST contain only one instance of the
    // extended key usage field extension [...] with KeyPurposeID having value id-kp-timeStamping.
    // This extension MUST be critical."
    Extension eku = leaf().getExtension(Extension.extendedKeyUsage);
    if (eku == null
        || !eku.isCritical()
        || ExtendedKeyUsage.getInstance(eku.getParsedValue()).getUsages().length != 1
        || !ExtendedKeyUsage.getInstance(eku.getParsedValue())
            .hasKeyPurposeId(KeyPurposeId.id_kp_timeStamping)) {
      throw new TsaChainException(
          "the TSA certificate " + leaf().getSubject()
              + " lacks the critical extended key usage id-kp-timeStamping (alone)");
    }
    Date at = Date.from(now);
    for (X509CertificateHolder c : certificates) {
      if (!c.isValidOn(at)) {
        throw new TsaChainException(
            "certificate " + c.getSubject() + " is valid from " + c.getNotBefore().toInstant()
                + " to " + c.getNotAfter().toInstant() + ", not at " + now);
      }
    }
  }

  /** The chain as concatenated PEM {@code CERTIFICATE} blocks, leaf first. */
  public String toPem() {
    StringWriter sw = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
      for (X509CertificateHolder c : certificates) {
        w.writeObject(c);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sw.toString();
  }

  /** Parses concatenated PEM certificates, leaf first; anything but certificates is refused. */
  public static TsaChain parsePem(String pem) throws TsaChainException {
    List<X509CertificateHolder> certs = new ArrayList<>();
    try (PEMParser p = new PEMParser(new StringReader(pem))) {
      for (Object o = p.readObject(); o != null; o = p.readObject()) {
        if (!(o instanceof X509CertificateHolder c)) {
          throw new TsaChainException(
              "a TSA chain holds only certificates, found " + o.getClass().getSimpleName());
        }
        certs.add(c);
      }
    } catch (IOException e) {
      throw new TsaChainException("unreadable PEM certificate chain: " + e.getMessage(), e);
    }
    return of(certs);
  }
}
