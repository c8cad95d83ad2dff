package dev.airseal.policy;

import dev.airseal.trust.CtLog;
import dev.airseal.trust.TlogInstance;
import dev.airseal.trust.TrustedRoot;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * An attestor's {@code rekor} and {@code ctlog} settings. Nothing can be reached from the site, so
 * {@code rekor.url} is never used: logs come from the site trust root, and a {@code pubkey}
 * narrows that root to the log (or CT log) with that key.
 */
record LogOptions(boolean ignoreTlog, Optional<PublicKey> rekorKey, boolean ignoreSct, Optional<PublicKey> ctlogKey,
    List<String> notes) {
  static final String URL_IGNORED = "rekor.url %s ignored: the site trust root's transparency logs are used";

  /** The site root narrowed to the logs this attestor names; empty with the reason when none is left. */
  Root narrow(TrustedRoot root, List<dev.airseal.trust.CertificateAuthority> cas) {
    List<TlogInstance> tlogs = root.tlogs();
    if (rekorKey.isPresent()) {
      byte[] want = rekorKey.get().getEncoded();
      tlogs = tlogs.stream().filter(t -> Arrays.equals(t.publicKey().getEncoded(), want)).toList();
      if (tlogs.isEmpty() && !ignoreTlog) {
        return new Root(null, "rekor.pubkey is not the key of a transparency log in the site trust root");
      }
    }
    List<CtLog> ctlogs = root.ctlogs();
    if (ctlogKey.isPresent()) {
      byte[] want = ctlogKey.get().getEncoded();
      ctlogs = ctlogs.stream().filter(c -> Arrays.equals(c.publicKey().getEncoded(), want)).toList();
      if (ctlogs.isEmpty() && !ignoreSct) {
        return new Root(null, "ctlog.pubkey is not the key of a CT log in the site trust root");
      }
    }
    if (rekorKey.isEmpty() && ctlogKey.isEmpty() && cas == null) {
      return new Root(root, null);
    }
    return new Root(new TrustedRoot(root.mediaType(), tlogs, cas == null ? root.certificateAuthorities() : cas,
        ctlogs, root.timestampAuthorities()), null);
  }

  record Root(TrustedRoot root, String problem) {}
}
