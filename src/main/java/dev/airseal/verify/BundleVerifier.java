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
    return verify(bundleJson, artifact, policy, root, true);
  }

  /**
   * As {@link #verify} without the transparency log, for cosign's {@code --insecure-ignore-tlog}
   * and nothing else: log entries the bundle carries are neither required nor read. Without a log,
   * nothing proves when the signature was made: a verified RFC 3161 timestamp is used if there is
   * one, else a certificate must be valid at {@code policy.now()}, as cosign checks it then.
   */
  public static Verdict verifyWithoutLog(
      byte[] bundleJson, Artifact artifact, VerificationPolicy policy, TrustedRoot root) {
    return verify(bundleJson, artifact, policy, root, false);
  }

  private static Verdict verify(
      byte[] bundleJson, Artifact artifact, VerificationPolicy policy, TrustedRoot root, boolean log) {
    List<Reason> passed = new ArrayList<>();
    try {
      run(bundleJson, artifact, policy, root, log, passed);
      return Verdict.allow(passed);
    } catch (CheckFailure f) {
      return Verdict.deny(List.of(f.reason()));
    } catch (RuntimeException e) {
      return Verdict.deny("internal", "verification could not complete: " + e);
    }
  }

  private static void run(
      byte[] json, Artifact artifact, VerificationPolicy policy, TrustedRoot root, boolean requireLog,
      List<Reason> passed)
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
    List<Instant> times = new ArrayList<>();
    List<TlogInstance> v2Logs = new ArrayList<>();
    if (requireLog) {
      tlog(b, artifact, key, policy, root, times, v2Logs, passed);
    } else {
      passed.add(new Reason("tlog.entries", "not checked: transparency log ignored (insecure)"));
    }

    // 4. Signed time from timestamp authorities.
    List<String> rejected = signedTimes(b, signature, root, times, v2Logs, passed);
    if (times.isEmpty() && requireLog) {
      throw new CheckFailure(
          "time.sources",
          "no verified signing time: the bundle has neither an inclusion promise nor a verified"
              + " signed timestamp" + (rejected.isEmpty() ? "" : "; " + rejected));
    }
    if (times.isEmpty() && b.material() instanceof Bundle.Certificates) {
      // Without a log a key needs no time; a certificate is checked now, as cosign does.
      times.add(policy.now());
      passed.add(new Reason(
          "time.sources", "no log and no signed timestamp: the certificate is checked at " + policy.now()));
    }

    // 5. Keyless: the certificate at every verified time, its SCTs and identity.
    if (b.material() instanceof Bundle.Certificates certs) {
      KeylessChecks.verify(
          certs, times, policy.identity().orElseThrow(), policy.sctThreshold(), root, passed);
    }
  }

  private static void tlog(
      Bundle b, Artifact artifact, PublicKey key, VerificationPolicy policy, TrustedRoot root,
      List<Instant> times, List<TlogInstance> v2Logs, List<Reason> passed)
      throws CheckFailure {
    if (b.tlogEntries().isEmpty()) {
      throw new CheckFailure("tlog.entries", "bundle has no transparency log entry");
    }
    TlogBodies.Signer signer = TlogBodies.signer(b.material(), key);
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
      TlogChecks.Checked checked = TlogChecks.verify(entry, log, root, policy.now(), policy.clockSkew(), passed);
      checked.signedTime().ifPresent(times::add);
      if (entry.isRekorV2()) {
        v2Logs.add(log);
      }
    }
  }

  /** Adds the verified RFC 3161 times; returns why the others were set aside. */
  private static List<String> signedTimes(
      Bundle b, byte[] signature, TrustedRoot root, List<Instant> times, List<TlogInstance> v2Logs,
      List<Reason> passed)
      throws CheckFailure {
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
    return tsa.rejected();
  }
}
