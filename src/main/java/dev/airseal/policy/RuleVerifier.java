package dev.airseal.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airseal.oci.Digest;
import dev.airseal.oci.ImageReference;
import dev.airseal.signing.Signer;
import dev.airseal.signing.Signers;
import dev.airseal.trust.TrustedRoot;
import dev.airseal.verify.Reason;
import dev.airseal.verify.VerificationPolicy;
import dev.airseal.verify.oci.ImageSource;
import dev.airseal.verify.oci.ImageVerification;
import dev.airseal.verify.oci.ImageVerifier;
import dev.airseal.verify.oci.SignatureResult;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs one {@code verifyImages} entry against one image, as Kyverno's ImageVerifier does: every
 * attestor set must be satisfied ({@code count} of its entries, default all), then every
 * attestation (its attestor sets likewise, and every verified statement of its predicate type
 * must meet all its condition blocks). Denials read like Kyverno's: {@code failed to verify image
 * IMAGE: .attestors[0].entries[0].keys: no matching signatures: ...}.
 */
final class RuleVerifier {
  private static final int MAX_DETAILS = 40;
  // KMS and PKCS#11 public keys do not change under one URI; look each up once.
  private static final Map<String, PublicKey> KMS_KEYS = new ConcurrentHashMap<>();

  private final KyvernoPolicy.VerifyImages rule;
  private final ImageSource source;
  private final TrustedRoot root;
  private final Digest digest;
  private final String image;
  private final Instant now;
  private final java.time.Duration clockSkew;
  private final Set<String> details = new LinkedHashSet<>();

  private RuleVerifier(KyvernoPolicy.VerifyImages rule, ImageReference image, Digest digest, ImageSource source,
      TrustedRoot root, Instant now, java.time.Duration clockSkew) {
    this.clockSkew = clockSkew;
    this.rule = rule;
    this.source = source;
    this.root = root;
    this.digest = digest;
    this.image = image.toString();
    this.now = now;
  }

  static CheckResult verify(KyvernoPolicy.VerifyImages rule, ImageReference image, Digest digest,
      ImageSource source, TrustedRoot root, Instant now, java.time.Duration clockSkew) {
    RuleVerifier v = new RuleVerifier(rule, image, digest, source, root, now, clockSkew);
    try {
      return v.run();
    } catch (RuntimeException e) {
      // Fail closed; whether an internal error denies is the policy's failurePolicy, applied by admission.
      v.details.add("internal error: " + e);
      return v.result(false, "failed to verify image " + v.image + ": internal error: " + e.getMessage());
    }
  }

  private CheckResult run() {
    details.addAll(rule.notes());
    for (int i = 0; i < rule.attestors().size(); i++) {
      Optional<String> err = set(rule.attestors().get(i), ".attestors[" + i + "]", null);
      if (err.isPresent()) {
        return result(false, "failed to verify image " + image + ": " + err.get());
      }
    }
    for (int i = 0; i < rule.attestations().size(); i++) {
      KyvernoPolicy.Attestation a = rule.attestations().get(i);
      for (int j = 0; j < a.attestors().size(); j++) {
        Optional<String> err = set(a.attestors().get(j), ".attestations[" + i + "].attestors[" + j + "]", a);
        if (err.isPresent()) {
          return result(false, "failed to verify image " + image + ": " + err.get());
        }
      }
    }
    String what = rule.attestations().isEmpty() ? "signatures" : rule.attestors().isEmpty() ? "attestations"
        : "signatures and attestations";
    return result(true, "verified image " + what + " for " + image);
  }

  private CheckResult result(boolean passed, String message) {
    List<String> d = new ArrayList<>(details);
    if (d.size() > MAX_DETAILS) {
      int more = d.size() - MAX_DETAILS;
      d = new ArrayList<>(d.subList(0, MAX_DETAILS));
      d.add("... " + more + " more");
    }
    return new CheckResult(passed, message, d, passed ? Optional.of(digest.toString()) : Optional.empty());
  }

  /** Empty when {@code required} entries of the set verified; else every entry's error. */
  private Optional<String> set(AttestorSet set, String path, KyvernoPolicy.Attestation attestation) {
    int verified = 0;
    List<String> errors = new ArrayList<>();
    for (int k = 0; k < set.entries().size(); k++) {
      Attestor a = set.entries().get(k);
      String p = path + ".entries[" + k + "]" + a.kind();
      Optional<String> err = a instanceof Attestor.Nested n ? set(n.set(), p, attestation) : entry(a, p, attestation);
      if (err.isEmpty()) {
        verified++;
        if (verified >= set.required()) {
          return Optional.empty();
        }
      } else {
        errors.add(a instanceof Attestor.Nested ? err.get() : p + ": " + err.get());
      }
    }
    return Optional.of(String.join("; ", errors));
  }

  private Optional<String> entry(Attestor a, String path, KyvernoPolicy.Attestation attestation) {
    ImageVerifier.Options options;
    try {
      options = options(a);
    } catch (Unresolved u) {
      return Optional.of(u.getMessage());
    }
    ImageVerifier verifier = new ImageVerifier(source, options);
    if (attestation == null) {
      return signatures(verifier.verifySignatures(digest), a, path);
    }
    return attestations(verifier.verifyAttestations(digest, Optional.of(attestation.predicateType())), attestation,
        path);
  }

  private Optional<String> signatures(ImageVerification v, Attestor a, String path) {
    record(v, path);
    if (v.signatures().isEmpty()) {
      return Optional.of("no signatures found");
    }
    if (!v.allowed()) {
      return Optional.of("no matching signatures: " + summary(v));
    }
    for (Map.Entry<String, String> want : a.annotations().entrySet()) {
      boolean found = v.verified().stream().anyMatch(s -> s.payload()
          .map(p -> p.path("optional").path(want.getKey()).asText(null))
          .filter(want.getValue()::equals).isPresent());
      if (!found) {
        return Optional.of("annotation value for " + want.getKey() + " does not match");
      }
    }
    return Optional.empty();
  }

  private Optional<String> attestations(ImageVerification v, KyvernoPolicy.Attestation a, String path) {
    record(v, path);
    if (v.signatures().isEmpty()) {
      return Optional.of("no attestations found");
    }
    List<SignatureResult> verified = v.verified();
    if (verified.isEmpty()) {
      return Optional.of("attestations not found for predicate type " + a.predicateType() + ": " + summary(v));
    }
    JmesFunctions.Env env = new JmesFunctions.Env(now);
    for (SignatureResult s : verified) {
      Optional<JsonNode> predicate = s.predicate();
      if (predicate.isEmpty()) {
        return Optional.of("attestation " + s.source() + " has no predicate");
      }
      for (Conditions c : a.conditions()) {
        Optional<Conditions.Failure> f = c.evaluate(predicate.get(), env);
        if (f.isPresent()) {
          return Optional.of("attestation checks failed for " + image + " and predicate " + a.predicateType()
              + ": " + f.get().message());
        }
      }
    }
    return Optional.empty();
  }

  private void record(ImageVerification v, String path) {
    details.add(path + ": " + v.verdict().reasons().stream().findFirst().map(Reason::toString).orElse(""));
    for (SignatureResult s : v.signatures()) {
      if (!s.verdict().allowed()) {
        details.add(path + ": " + s.source() + ": " + s.verdict().reasons().get(s.verdict().reasons().size() - 1));
      }
    }
  }

  /** The failed checks of the signatures found, short enough for a denial message. */
  private static String summary(ImageVerification v) {
    List<String> parts = new ArrayList<>();
    for (SignatureResult s : v.signatures()) {
      List<Reason> r = s.verdict().reasons();
      parts.add(r.isEmpty() ? s.source() : r.get(r.size() - 1).toString());
      if (parts.size() == 3) {
        break;
      }
    }
    int more = v.signatures().size() - parts.size();
    return String.join("; ", parts) + (more > 0 ? " (and " + more + " more)" : "");
  }

  private ImageVerifier.Options options(Attestor a) throws Unresolved {
    VerificationPolicy policy;
    LogOptions logs;
    List<dev.airseal.trust.CertificateAuthority> cas = null;
    if (a instanceof Attestor.Key k) {
      policy = VerificationPolicy.forKey(k.key() != null ? k.key() : kms(k.kms()));
      logs = k.logs();
    } else if (a instanceof Attestor.Keyless k) {
      policy = k.policy();
      logs = k.logs();
      cas = k.roots();
    } else if (a instanceof Attestor.Certificate c) {
      policy = VerificationPolicy.forKey(c.key());
      logs = c.logs();
    } else {
      throw new IllegalStateException("nested attestor sets are verified as sets");
    }
    details.addAll(logs.notes());
    LogOptions.Root narrowed = logs.narrow(root, cas);
    if (narrowed.problem() != null) {
      throw new Unresolved(narrowed.problem());
    }
    return new ImageVerifier.Options(policy.at(now).withClockSkew(clockSkew), narrowed.root(), logs.ignoreTlog());
  }

  private static PublicKey kms(String uri) throws Unresolved {
    PublicKey k = KMS_KEYS.get(uri);
    if (k != null) {
      return k;
    }
    String shown = Signers.redact(uri);
    if (!uri.startsWith("pkcs11:") && !uri.startsWith("awskms:")) {
      throw new Unresolved("kms key " + shown + " cannot be resolved offline (pkcs11: and awskms: keys can)");
    }
    try {
      Signer s = Signers.fromUri(uri);
      try {
        k = s.publicKey();
      } finally {
        if (s instanceof AutoCloseable c) {
          c.close();
        }
      }
    } catch (Exception e) {
      throw new Unresolved("kms key " + shown + " could not be resolved: " + e.getMessage());
    }
    KMS_KEYS.put(uri, k);
    return k;
  }

  /** An attestor whose key or logs cannot be had: that entry fails, with this message. */
  private static final class Unresolved extends Exception {
    Unresolved(String message) {
      super(message);
    }
  }
}
