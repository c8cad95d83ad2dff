package dev.airseal.trust;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;

/** Whether a certificate is its own issuer: same name, and its own key verifies its signature. */
public final class SelfSigned {
  private SelfSigned() {}

  public static boolean is(X509Certificate c) {
    if (!c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
      return false;
    }
    try {
      c.verify(c.getPublicKey(), KeyDetails.BC);
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
