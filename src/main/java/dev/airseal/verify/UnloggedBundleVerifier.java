package dev.airseal.verify;

import dev.airseal.trust.TrustedRoot;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link BundleVerifier} without the transparency log, for cosign's {@code --insecure-ignore-tlog}
 * and nothing else: the signature and (keyless) the certificate are checked, log entries the bundle
 * carries are neither required nor read.
 *
 * <p>Without a log, nothing proves when the signature was made. A verified RFC 3161 timestamp is
 * used if there is one; otherwise a certificate must be valid at {@code policy.now()}, as cosign
 * checks expiry against the current time when it has neither log nor timestamp.
 */
public final class UnloggedBundleVerifier {
  private UnloggedBundleVerifier() {}

  public static Verdict verify(
      byte[] bundleJson, Artifact artifact, VerificationPolicy policy, TrustedRoot root) {
    List<Reason> passed = new ArrayList<>();
    try {
      run(bundleJson, artifact, policy, root, passed);
      return Verdict.allow(passed);
    } catch (CheckFailure f) {
      return Verdict.deny(List.of(f.reason()));
    } catch (RuntimeException e) {
      return Verdict.deny("internal", "verification could not complete: " + e);
    }
  }

  private static void run(
      byte[] json, Artifact artifact, VerificationPolicy policy, TrustedRoot root, List<Reason> passed)
      throws CheckFailure {
    Bundle b = BundleReader.read(json);
    passed.add(new Reason("bundle.mediaType", b.mediaType()));
    PublicKey key;
    if (b.material() instanceof Bundle.Certificates certs) {
      if (policy.key().isPresent()) {
        throw new CheckFailure(
            "bundle.verificationMaterial", "bundle is signed with a certificate; the policy names a key");
      }
      KeylessChecks.shape(certs, root);
      key = certs.leaf().getPublicKey();
    } else {
      key =
          policy
              .key()
              .orElseThrow(
                  () -> new CheckFailure(
                      "bundle.verificationMaterial",
                      "bundle is signed with a key but the policy names no key"));
    }
    if (b.content() instanceof Bundle.MessageSignature ms) {
      if (artifact == null) {
        throw new CheckFailure("content.signature", "a message signature needs the artifact");
      }
      ContentChecks.messageSignature(ms, artifact, key, passed);
    } else {
      ContentChecks.envelope((Bundle.Envelope) b.content(), artifact, key, passed);
    }
    passed.add(new Reason("tlog.entries", "not checked: transparency log ignored (insecure)"));

    Rfc3161Timestamps.Result tsa =
        Rfc3161Timestamps.verify(b.rfc3161Timestamps(), ContentChecks.signature(b.content()), root);
    List<Instant> times = new ArrayList<>(tsa.times());
    for (Instant t : times) {
      passed.add(new Reason("timestamp.rfc3161", "signed at " + t + " by a trusted TSA"));
    }
    for (String r : tsa.rejected()) {
      passed.add(new Reason("timestamp.rfc3161", "ignored: " + r));
    }
    if (b.material() instanceof Bundle.Certificates certs) {
      if (times.isEmpty()) {
        times.add(policy.now());
        passed.add(new Reason(
            "time.sources", "no log and no signed timestamp: the certificate is checked at " + policy.now()));
      }
      KeylessChecks.verify(
          certs, times, policy.identity().orElseThrow(), policy.sctThreshold(), root, passed);
    }
  }
}
