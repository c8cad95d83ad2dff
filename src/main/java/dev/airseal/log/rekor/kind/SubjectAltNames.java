package dev.airseal.log.rekor.kind;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * The SAN list Rekor indexes for a certificate.
 *
 * <p>Mirrors sigstore's cryptoutils.GetSubjectAlternateNames: DNS names, then e-mail addresses,
 * then IP addresses, then URIs, then Fulcio's otherName SAN (OID 1.3.6.1.4.1.57264.1.7), each group
 * in certificate order.
 */
final class SubjectAltNames {
  static final ASN1ObjectIdentifier FULCIO_OTHERNAME =
      new ASN1ObjectIdentifier("1.3.6.1.4.1.57264.1.7");

  private SubjectAltNames() {}

  static List<String> of(X509CertificateHolder cert) {
    GeneralNames names = GeneralNames.fromExtensions(cert.getExtensions(), Extension.subjectAlternativeName);
    if (names == null) {
      return List.of();
    }
    List<String> dns = new ArrayList<>();
    List<String> email = new ArrayList<>();
    List<String> ip = new ArrayList<>();
    List<String> uri = new ArrayList<>();
    List<String> other = new ArrayList<>();
    for (GeneralName name : names.getNames()) {
      switch (name.getTagNo()) {
        case GeneralName.dNSName -> dns.add(text(name));
        case GeneralName.rfc822Name -> email.add(text(name));
        case GeneralName.uniformResourceIdentifier -> uri.add(text(name));
        case GeneralName.iPAddress -> {
          byte[] octets = DEROctetString.getInstance(name.getName()).getOctets();
          try {
            // IPv6 is printed uncompressed here, where Go prints RFC 5952 form.
            ip.add(InetAddress.getByAddress(octets).getHostAddress());
          } catch (UnknownHostException e) {
            // Go prints "?" + hex for a bad length; such an address is not worth indexing.
          }
        }
        case GeneralName.otherName -> {
          String value = fulcioOtherName(name);
          if (value != null && other.isEmpty()) {
            other.add(value);
          }
        }
        default -> {}
      }
    }
    List<String> all = new ArrayList<>(dns);
    all.addAll(email);
    all.addAll(ip);
    all.addAll(uri);
    all.addAll(other);
    return all;
  }

  private static String text(GeneralName name) {
    return ((ASN1String) name.getName()).getString();
  }

  private static String fulcioOtherName(GeneralName name) {
    try {
      ASN1Sequence seq = ASN1Sequence.getInstance(name.getName());
      if (!FULCIO_OTHERNAME.equals(seq.getObjectAt(0))) {
        return null;
      }
      ASN1TaggedObject value = ASN1TaggedObject.getInstance(seq.getObjectAt(1));
      return ((ASN1String) value.getExplicitBaseObject()).getString();
    } catch (RuntimeException e) {
      return null;
    }
  }
}
