package dev.airseal.verify.x509;

import dev.airseal.trust.CertificateAuthority;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A certification path that verified: {@code path} runs from the leaf to the root of {@code
 * authority}.
 */
public record VerifiedChain(CertificateAuthority authority, List<X509Certificate> path) {
  public VerifiedChain {
    path = List.copyOf(path);
    if (path.size() < 2) {
      throw new IllegalArgumentException("a verified path holds at least a leaf and its issuer");
    }
  }

  public X509Certificate leaf() {
    return path.get(0);
  }

  /** The leaf's issuer, whose key hash the precertificate SCTs sign over. */
  public X509Certificate issuer() {
    return path.get(1);
  }
}
