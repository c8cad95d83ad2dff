package dev.airseal.trust;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A certificate authority (Fulcio) or timestamp authority the root trusts.
 *
 * @param uri may be empty (TSAs often have none)
 * @param subjectOrganization may be empty
 * @param subjectCommonName may be empty
 * @param chain leaf-most first, the self-signed root last; never empty
 * @param operator trusted root v0.2, or null
 */
public record CertificateAuthority(
    String uri,
    String subjectOrganization,
    String subjectCommonName,
    List<X509Certificate> chain,
    ValidFor validFor,
    String operator) {
  public CertificateAuthority {
    uri = uri == null ? "" : uri;
    subjectOrganization = subjectOrganization == null ? "" : subjectOrganization;
    subjectCommonName = subjectCommonName == null ? "" : subjectCommonName;
    chain = List.copyOf(Objects.requireNonNull(chain, "chain"));
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("certificate chain is missing a certificate");
    }
    Objects.requireNonNull(validFor, "validFor");
  }

  public CertificateAuthority(
      String uri,
      String subjectOrganization,
      String subjectCommonName,
      List<X509Certificate> chain,
      ValidFor validFor) {
    this(uri, subjectOrganization, subjectCommonName, chain, validFor, null);
  }

  /** The trust anchor: the last certificate of the chain. */
  public X509Certificate root() {
    return chain.get(chain.size() - 1);
  }
}
