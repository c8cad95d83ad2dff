package dev.airseal.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.oci.Digest;
import dev.airseal.oci.ImageReference;
import dev.airseal.policy.AdmissionContext;
import dev.airseal.policy.CheckResult;
import dev.airseal.policy.ImageCheck;
import dev.airseal.policy.Policies;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Decides one AdmissionReview: the images of the workload (only the changed ones on UPDATE), each
 * checked once against every {@code verifyImages} rule that selects it, verdicts from the cache or
 * from verification against stored evidence, and a JSON Patch pinning verified digests on
 * {@code /mutate}.
 *
 * <p>Fail closed: an image we cannot evaluate (unreadable store, a verifier error) is denied, and
 * the denial names the reason so that kubectl shows the operator what to fix; only a rule with
 * {@code failurePolicy: Ignore} lets such an image through, with a warning.
 */
public final class AdmissionController {
  static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

  private final Supplier<Policies> policies;
  private final EvidenceReader evidence;
  private final Supplier<TrustSnapshot> trust;
  private final VerdictCache cache;
  private final Duration registryDeadline;
  private final Clock clock;
  private final Duration clockSkew;

  public AdmissionController(
      Supplier<Policies> policies, EvidenceReader evidence, Supplier<TrustSnapshot> trust, VerdictCache cache,
      Duration registryDeadline, Clock clock) {
    this(policies, evidence, trust, cache, registryDeadline, clock,
        dev.airseal.verify.VerificationPolicy.DEFAULT_CLOCK_SKEW);
  }

  /** {@code clockSkew}: how far a log's or TSA's clock may run ahead of ours ({@code airseal.verify.clock-skew}). */
  public AdmissionController(
      Supplier<Policies> policies, EvidenceReader evidence, Supplier<TrustSnapshot> trust, VerdictCache cache,
      Duration registryDeadline, Clock clock, Duration clockSkew) {
    this.clockSkew = clockSkew;
    this.policies = policies;
    this.evidence = evidence;
    this.trust = trust;
    this.cache = cache;
    this.registryDeadline = registryDeadline;
    this.clock = clock;
  }

  /** One failed (or internally broken) check of one image. */
  private record Failure(String policy, String rule, String message, boolean enforce) {}

  public Decision decide(AdmissionRequest req, boolean mutate) {
    Policies p = policies.get();
    ObjectNode detail = AdmissionReviews.JSON.createObjectNode();
    detail.put("uid", req.uid());
    detail.put("operation", req.operation());
    detail.put("webhook", mutate ? "mutate" : "validate");
    detail.put("policyVersion", p.version());
    ArrayNode imagesOut = detail.putArray("images");
    boolean checksImages = ("CREATE".equals(req.operation()) || "UPDATE".equals(req.operation()))
        && req.object() != null && WorkloadImages.supports(req.kind());
    if (!checksImages) {
      return new Decision(true, 200, "", List.of(), List.of(), "allow", detail);
    }
    TrustSnapshot t = trust.get();
    detail.put("trustRootVersion", t.version());
    AdmissionContext ctx = context(req);
    List<WorkloadImages.ImageField> fields = WorkloadImages.of(req.kind(), req.object());
    Set<String> images = new LinkedHashSet<>();
    fields.forEach(f -> images.add(f.image()));
    if ("UPDATE".equals(req.operation())) {
      // Images the object already ran with were admitted when they were set.
      images.removeAll(WorkloadImages.distinct(req.kind(), req.oldObject()));
    }
    List<Failure> failures = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    Map<String, String> pinned = new HashMap<>();
    for (String image : images) {
      List<ImageCheck> checks = p.checksFor(ctx, image);
      if (checks.isEmpty()) {
        continue;
      }
      ObjectNode io = imagesOut.addObject();
      io.put("image", image);
      evaluate(image, checks, mutate, p.version(), t, io, failures, warnings).ifPresent(d -> pinned.put(image, d));
    }
    List<JsonPatches.Op> patch = new ArrayList<>();
    if (mutate) {
      for (WorkloadImages.ImageField f : fields) {
        String d = pinned.get(f.image());
        if (d != null) {
          patch.add(new JsonPatches.Op(f.pointer(), f.image() + "@" + d));
        }
      }
    }
    List<Failure> denials = failures.stream().filter(Failure::enforce).toList();
    if (!denials.isEmpty()) {
      return new Decision(false, 403, blockedMessage(req, denials), warnings, List.of(), "deny", detail);
    }
    return new Decision(true, 200, "", warnings, patch, warnings.isEmpty() ? "allow" : "warn", detail);
  }

  /** Checks one image against its rules; the digest to pin when every check passed and one asks for it. */
  private Optional<String> evaluate(
      String image, List<ImageCheck> checks, boolean mutate, String policyVersion, TrustSnapshot t, ObjectNode io, List<Failure> failures,
      List<String> warnings) {
    ArrayNode out = io.putArray("checks");
    ImageReference ref;
    try {
      ref = ImageReference.parse(image);
    } catch (IllegalArgumentException e) {
      for (ImageCheck c : checks) {
        fail(c, "image " + image + ": not a valid image reference: " + e.getMessage(), out, failures, warnings);
      }
      return Optional.empty();
    }
    int timeout = checks.stream().mapToInt(ImageCheck::timeoutSeconds).min().orElse(10);
    // The mirror gets at most half the webhook timeout, so the API server always hears our answer.
    Deadline deadline = Deadline.in(min(registryDeadline, Duration.ofMillis(timeout * 500L)));
    Optional<Digest> digest;
    long evidenceVersion;
    try {
      digest = ref.digest() != null ? Optional.of(ref.digest()) : evidence.resolve(ref, deadline);
      evidenceVersion = digest.isPresent() ? evidence.subjectVersion(ref, digest.get(), deadline) : 0;
    } catch (RuntimeException e) {
      for (ImageCheck c : checks) {
        internal(c, image, e, out, failures, warnings);
      }
      return Optional.empty();
    }
    digest.ifPresent(d -> io.put("digest", d.toString()));
    io.put("evidenceVersion", evidenceVersion);
    if (digest.isPresent()) {
      Optional<String> revoked = evidence.revocations().digest(digest.get());
      if (revoked.isPresent()) {
        for (ImageCheck c : checks) {
          fail(c, "image " + image + ": digest " + digest.get() + " is revoked: " + revoked.get(), out, failures, warnings);
        }
        return Optional.empty();
      }
    }
    boolean allPassed = true;
    boolean pin = false;
    Map<String, Integer> seen = new HashMap<>();
    for (ImageCheck c : checks) {
      int occurrence = seen.merge(c.policy() + "/" + c.rule(), 1, Integer::sum) - 1;
      if (c.verifyDigest() && ref.digest() == null && !(mutate && c.mutateDigest())) {
        allPassed &= fail(c, "image " + image + ": rule " + c.rule() + ": verifyDigest: the reference has no digest"
            + " (pin it as " + ref.context() + "@sha256:..., or let the mutating webhook do it)", out, failures, warnings);
        continue;
      }
      if (digest.isEmpty()) {
        allPassed &= fail(c, "image " + image + ": rule " + c.rule() + ": cannot resolve tag '" + ref.tag()
            + "' to a digest: not in the evidence store" + (evidence.hasMirror() ? " nor in the site registry" : ""),
            out, failures, warnings);
        continue;
      }
      VerdictCache.Key key = new VerdictCache.Key(
          image, digest.get(), policyVersion, c.policy(), c.rule(), occurrence, evidenceVersion, t.version());
      CheckResult r = cache.get(key);
      boolean cached = r != null;
      if (r == null) {
        try {
          r = c.verify(ref, digest.get(), evidence.source(ref), t.root(), clock.instant(), clockSkew);
        } catch (RuntimeException e) {
          allPassed &= internal(c, image, e, out, failures, warnings);
          continue;
        }
        cache.put(key, r);
      }
      ObjectNode co = out.addObject();
      co.put("policy", c.policy());
      co.put("rule", c.rule());
      co.put("passed", r.passed());
      co.put("cached", cached);
      co.put("enforce", c.enforce());
      if (!r.details().isEmpty()) {
        ArrayNode d = co.putArray("details");
        r.details().forEach(d::add);
      }
      if (r.passed()) {
        pin |= c.mutateDigest();
      } else {
        co.put("message", r.message());
        allPassed &= fail(c, r.message(), null, failures, warnings);
      }
    }
    return allPassed && pin && ref.digest() == null ? digest.map(Digest::toString) : Optional.empty();
  }

  // Returns false, so callers can fold it into "all passed". Audit mode and optional rules
  // (required: false) warn instead of denying.
  private static boolean fail(ImageCheck c, String message, ArrayNode out, List<Failure> failures, List<String> warnings) {
    if (out != null) {
      ObjectNode co = out.addObject();
      co.put("policy", c.policy());
      co.put("rule", c.rule());
      co.put("passed", false);
      co.put("enforce", c.enforce());
      co.put("message", message);
    }
    boolean enforce = c.enforce() && c.required();
    failures.add(new Failure(c.policy(), c.rule(), message, enforce));
    if (!enforce) {
      warnings.add(clip("policy " + c.policy() + "/" + c.rule() + ": " + message));
    }
    return false;
  }

  private static boolean internal(ImageCheck c, String image, RuntimeException e, ArrayNode out, List<Failure> failures,
      List<String> warnings) {
    String m = "image " + image + ": rule " + c.rule() + ": internal error, cannot evaluate: " + e;
    if (c.failOpen()) {
      ObjectNode co = out.addObject();
      co.put("policy", c.policy());
      co.put("rule", c.rule());
      co.put("passed", false);
      co.put("failOpen", true);
      co.put("message", m);
      warnings.add(clip("policy " + c.policy() + "/" + c.rule() + " (failurePolicy: Ignore): " + m));
      return false;
    }
    return fail(c, m, out, failures, warnings);
  }

  // Kyverno's denial layout: "resource Kind/namespace/name was blocked due to the following
  // policies", then each policy with its failed rules.
  private static String blockedMessage(AdmissionRequest req, List<Failure> denials) {
    Map<String, List<Failure>> byPolicy = new LinkedHashMap<>();
    denials.forEach(f -> byPolicy.computeIfAbsent(f.policy(), k -> new ArrayList<>()).add(f));
    StringBuilder sb = new StringBuilder("resource ").append(req.kind()).append('/')
        .append(req.namespace().isEmpty() ? "" : req.namespace() + "/").append(req.name())
        .append(" was blocked due to the following policies\n\n");
    byPolicy.forEach((policy, fs) -> {
      sb.append(policy).append(":\n");
      fs.forEach(f -> sb.append("  ").append(f.rule()).append(": '").append(f.message()).append("'\n"));
    });
    return sb.toString().stripTrailing();
  }

  private static AdmissionContext context(AdmissionRequest req) {
    JsonNode meta = (req.object() != null ? req.object() : req.oldObject()).path("metadata");
    Map<String, String> labels = new HashMap<>();
    meta.path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    // The review carries no namespace labels and admission asks no one; Kubernetes sets this one
    // on every namespace, so selectors on it work.
    Map<String, String> nsLabels = req.namespace().isEmpty() ? Map.of() : Map.of(NAMESPACE_NAME_LABEL, req.namespace());
    return new AdmissionContext(req.operation(), req.kind(), req.namespace(), req.name(), labels, nsLabels);
  }

  private static String clip(String s) {
    return s.length() <= 1024 ? s : s.substring(0, 1021) + "...";
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
