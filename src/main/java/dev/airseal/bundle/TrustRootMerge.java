package dev.airseal.bundle;

import dev.airseal.trust.CertificateAuthority;
import dev.airseal.trust.CtLog;
import dev.airseal.trust.TlogInstance;
import dev.airseal.trust.TrustedRoot;
import java.security.cert.CertificateEncodingException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A carried trust root adds the authorities the site lacks and never removes one: the site's own
 * log and TSA must stay trusted whatever the connected side sends (the same rule as {@code trust
 * add}).
 */
final class TrustRootMerge {
  private TrustRootMerge() {}

  static TrustedRoot merge(TrustedRoot site, TrustedRoot carried) {
    List<TlogInstance> tlogs = new ArrayList<>(site.tlogs());
    carried.tlogs().stream().filter(t -> site.tlogByLogId(t.logId()).isEmpty()).forEach(tlogs::add);
    List<CtLog> ctlogs = new ArrayList<>(site.ctlogs());
    carried.ctlogs().stream().filter(c -> site.ctlogByLogId(c.logId()).isEmpty()).forEach(ctlogs::add);
    return new TrustedRoot(site.mediaType(), tlogs, cas(site.certificateAuthorities(), carried.certificateAuthorities()),
        ctlogs, cas(site.timestampAuthorities(), carried.timestampAuthorities()));
  }

  private static List<CertificateAuthority> cas(List<CertificateAuthority> have, List<CertificateAuthority> add) {
    List<CertificateAuthority> out = new ArrayList<>(have);
    for (CertificateAuthority a : add) {
      if (out.stream().noneMatch(b -> Arrays.equals(der(a), der(b)))) {
        out.add(a);
      }
    }
    return out;
  }

  private static byte[] der(CertificateAuthority a) {
    try {
      return a.root().getEncoded();
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }
}
