package dev.airseal.verify;

import dev.airseal.trust.TlogInstance;
import dev.airseal.trust.TrustedRoot;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Verifies a Sigstore bundle offline against a trusted root and a policy. Every check is listed,
 * in order, in docs/verification.md.
 *
 * <p>Fail closed: whatever cannot be evaluated (malformed JSON, bad base64, an unknown media type,
 * an unexpected exception) is a denial naming the reason, never an exception to the caller.
 */
public final class BundleVerifier {
  private BundleVerifier() {}

  /**
   * @param artifact what the bundle must sign; for a DSSE bundle it may be null, and then no
   *     in-toto subject is required to match
   */
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

    // 1. Who signed: the policy's key, or the bundle's leaf certificate.
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

    // 2. What was signed.
    if (b.content() instanceof Bundle.MessageSignature ms) {
      if (artifact == null) {
        throw new CheckFailure("content.signature", "a message signature needs the artifact");
      }
      ContentChecks.messageSignature(ms, artifact, key, passed);
    } else {
      ContentChecks.envelope((Bundle.Envelope) b.content(), artifact, key, passed);
    }
    byte[] signature = ContentChecks.signature(b.content());

    // 3. Transparency: every entry from a trusted log, logging exactly this signature.
    if (b.tlogEntries().isEmpty()) {
      throw new CheckFailure("tlog.entries", "bundle has no transparency log entry");
    }
    TlogBodies.Signer signer = TlogBodies.signer(b.material(), key);
    List<Instant> times = new ArrayList<>();
    List<TlogInstance> v2Logs = new ArrayList<>();
    for (Bundle.TlogEntry entry : b.tlogEntries()) {
      TlogInstance log = TlogChecks.findLog(entry, root);
      TlogBodies.check(entry, b.content(), artifact, signer);
      passed.add(new Reason("tlog.body", entry.kind() + " " + entry.version() + " entry " + entry.logIndex() + " logs this signature"));
      if (b.minorVersion() == 1 && entry.signedEntryTimestamp() == null) {
        throw new CheckFailure("tlog.inclusionPromise", "a v0.1 bundle's entry must carry an inclusion promise");
      }
      if ((b.minorVersion() >= 2 || entry.isRekorV2())
          && (entry.inclusionProof() == null || entry.inclusionProof().checkpoint() == null)) {
        throw new CheckFailure(
            "tlog.inclusionProof",
            "a v0." + b.minorVersion() + " bundle's entry must carry an inclusion proof with a checkpoint");
      }
      TlogChecks.Checked checked = TlogChecks.verify(entry, log, root, policy.now(), passed);
      checked.signedTime().ifPresent(times::add);
      if (entry.isRekorV2()) {
        v2Logs.add(log);
      }
    }

    // 4. Signed time from timestamp authorities.
    Rfc3161Timestamps.Result tsa = Rfc3161Timestamps.verify(b.rfc3161Timestamps(), signature, root);
    List<Instant> tsaTimes = tsa.times();
    for (Instant t : tsaTimes) {
      passed.add(new Reason("timestamp.rfc3161", "signed at " + t + " by a trusted TSA"));
    }
    for (String r : tsa.rejected()) {
      passed.add(new Reason("timestamp.rfc3161", "ignored: " + r));
    }
    times.addAll(tsaTimes);
    for (TlogInstance log : v2Logs) {
      // Rekor v2 entries have no integration time: only a TSA says when the log saw the entry.
      if (tsaTimes.isEmpty()) {
        throw new CheckFailure(
            "timestamp.rfc3161",
            "an entry from Rekor v2 log " + log.baseUrl() + " needs a verified RFC 3161 timestamp"
                + (tsa.rejected().isEmpty() ? ", the bundle has none" : "; " + tsa.rejected()));
      }
      for (Instant t : tsaTimes) {
        if (!log.validFor().contains(t)) {
          throw new CheckFailure(
              "tlog.log", "timestamp " + t + " is outside the validity of log " + log.baseUrl() + ": " + log.validFor());
        }
      }
    }
    if (times.isEmpty()) {
      throw new CheckFailure(
          "time.sources",
          "no verified signing time: the bundle has neither an inclusion promise nor a verified signed"
              + " timestamp" + (tsa.rejected().isEmpty() ? "" : "; " + tsa.rejected()));
    }

    // 5. Keyless: the certificate at every verified time, its SCTs and identity.
    if (b.material() instanceof Bundle.Certificates certs) {
      KeylessChecks.verify(
          certs, times, policy.identity().orElseThrow(), policy.sctThreshold(), root, passed);
    }
  }
}
