package dev.airseal.verify.x509;

import dev.airseal.verify.VerificationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.OtherName;

/**
 * Who a Fulcio certificate says signed: the OIDC subject (as its one SAN), the OIDC issuer, and the
 * CI provenance extensions.
 *
 * @param subjectAlternativeName an email, a URI, or a Fulcio otherName username
 * @param issuer from OID .1.8 (DER UTF8String), else the legacy .1.1 (raw string)
 * @param extensions the other Fulcio extensions present, by {@link FulcioExtensions} name
 */
public record FulcioIdentity(
    String subjectAlternativeName, String issuer, Map<String, String> extensions) {
  private static final int SAN_OTHER_NAME = 0;
  private static final int SAN_EMAIL = 1;
  private static final int SAN_URI = 6;

  public FulcioIdentity {
    Objects.requireNonNull(subjectAlternativeName, "subjectAlternativeName");
    Objects.requireNonNull(issuer, "issuer");
    extensions = Map.copyOf(extensions);
  }

  public static FulcioIdentity of(X509Certificate leaf) throws VerificationException {
    String san = san(leaf);
    String issuer = text(leaf, FulcioExtensions.ISSUER_V2, false);
    if (issuer == null) {
      issuer = text(leaf, FulcioExtensions.ISSUER_V1, true);
    }
    if (issuer == null) {
      throw new VerificationException(
          "certificate " + CertificateChains.describe(leaf) + " names no OIDC issuer (OID "
              + FulcioExtensions.ISSUER_V2 + " or " + FulcioExtensions.ISSUER_V1 + ")");
    }
    Map<String, String> extensions = new TreeMap<>();
    for (Map.Entry<String, String> e : FulcioExtensions.NAMES.entrySet()) {
      String value = text(leaf, e.getKey(), FulcioExtensions.isRawString(e.getKey()));
      if (value != null) {
        extensions.put(e.getValue(), value);
      }
    }
    return new FulcioIdentity(san, issuer, extensions);
  }

  // Fulcio puts exactly one identity in the SAN; more than one would leave "who signed" ambiguous.
  private static String san(X509Certificate leaf) throws VerificationException {
    Collection<List<?>> names;
    try {
      names = leaf.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      throw new VerificationException("unreadable SubjectAlternativeName: " + e.getMessage(), e);
    }
    List<String> found = new ArrayList<>();
    if (names != null) {
      for (List<?> name : names) {
        int type = (Integer) name.get(0);
        if (type == SAN_EMAIL || type == SAN_URI) {
          found.add((String) name.get(1));
        } else if (type == SAN_OTHER_NAME) {
          found.add(otherName((byte[]) name.get(1)));
        }
      }
    }
    if (found.size() != 1) {
      throw new VerificationException(
          "certificate " + CertificateChains.describe(leaf) + " has " + found.size()
              + " identity SANs " + found + ", expected exactly one");
    }
    return found.get(0);
  }

  private static String otherName(byte[] der) throws VerificationException {
    try {
      ASN1Primitive p = ASN1Primitive.fromByteArray(der);
      // The JDK hands over either the bare OtherName or the whole [0]-tagged GeneralName.
      OtherName on = p instanceof ASN1TaggedObject tagged
          ? OtherName.getInstance(GeneralName.getInstance(tagged).getName())
          : OtherName.getInstance(p);
      if (!on.getTypeID().getId().equals(FulcioExtensions.OTHERNAME_SAN)) {
        throw new VerificationException("unsupported otherName SAN type " + on.getTypeID());
      }
      // value is [0] EXPLICIT UTF8String
      ASN1Encodable value = on.getValue();
      if (value instanceof ASN1TaggedObject explicit) {
        value = explicit.getExplicitBaseObject();
      }
      return ((ASN1String) value).getString();
    } catch (IOException | ClassCastException | IllegalArgumentException e) {
      throw new VerificationException("malformed otherName SAN: " + e.getMessage(), e);
    }
  }

  private static String text(X509Certificate c, String oid, boolean raw) throws VerificationException {
    byte[] value = c.getExtensionValue(oid);
    if (value == null) {
      return null;
    }
    try {
      byte[] octets = ASN1OctetString.getInstance(value).getOctets();
      if (raw) {
        return new String(octets, StandardCharsets.UTF_8);
      }
      return ((ASN1String) ASN1Primitive.fromByteArray(octets)).getString();
    } catch (IOException | ClassCastException | IllegalArgumentException e) {
      throw new VerificationException("extension " + oid + " is not a DER string: " + e.getMessage(), e);
    }
  }
}
