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
  private final java.util.concurrent.Executor verifiers;
  private static final int MAX_REFERENCES = 4096;
  private final Map<String, ImageReference> references = new java.util.concurrent.ConcurrentHashMap<>();

  /** Verifies one request's images one after the other. */
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
    this(policies, evidence, trust, cache, registryDeadline, clock, clockSkew, null);
  }

  /** @param verifiers runs a request's uncached verifications in parallel (null: one after the other) */
  public AdmissionController(
      Supplier<Policies> policies, EvidenceReader evidence, Supplier<TrustSnapshot> trust, VerdictCache cache,
      Duration registryDeadline, Clock clock, Duration clockSkew, java.util.concurrent.Executor verifiers) {
    this.clockSkew = clockSkew;
    this.policies = policies;
    this.evidence = evidence;
    this.trust = trust;
    this.cache = cache;
    this.registryDeadline = registryDeadline;
    this.clock = clock;
    this.verifiers = verifiers;
  }

  /** One failed (or internally broken) check of one image. */
  private record Failure(String policy, String rule, String message, boolean enforce) {}

  /** Thrown by a memory-only decision that needs the store or a verification. */
  static final class NotInMemory extends RuntimeException {
    static final NotInMemory INSTANCE = new NotInMemory();

    private NotInMemory() {
      super("the decision needs the evidence store or a verification", null, false, false);
    }
  }

  public Decision decide(AdmissionRequest req, boolean mutate) {
    return decide(req, mutate, false);
  }

  /**
   * @param memoryOnly decide from memoised evidence and cached verdicts alone, or throw
   *     {@link NotInMemory} (nothing else happened then): how the webhook answers warm reviews on the
   *     event loop
   */
  public Decision decide(AdmissionRequest req, boolean mutate, boolean memoryOnly) {
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
    List<ImageWork> work = new ArrayList<>();
    for (String image : images) {
      List<ImageCheck> checks = p.checksFor(ctx, image);
      if (checks.isEmpty()) {
        continue;
      }
      ObjectNode io = imagesOut.addObject();
      io.put("image", image);
      ImageWork w = new ImageWork(image, checks, io);
      prepare(w, mutate, p.version(), t, memoryOnly);
      work.add(w);
    }
    verifyAll(work.stream().flatMap(w -> w.misses.stream()).toList());
    List<Failure> failures = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    Map<String, String> pinned = new HashMap<>();
    for (ImageWork w : work) {
      settle(w).ifPresent(d -> pinned.put(w.image, d));
      failures.addAll(w.failures);
      warnings.addAll(w.warnings);
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

  /**
   * One image of a request: its lookups (digest, evidence version, cached verdicts) first, then the
   * verifications the cache lacked, run together with the other images' ones, then its part of the
   * decision. The phases keep a pod's images verifying in parallel without touching each other's
   * output.
   */
  private final class ImageWork {
    final String image;
    final List<ImageCheck> checks;
    final ObjectNode io;
    final ArrayNode out;
    final List<Failure> failures = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();
    final List<Runnable> misses = new ArrayList<>();
    ImageReference ref;
    Digest digest;
    // Per check, in order: a message when it failed before verification, else its result (or the
    // verifier's error) and whether it came from the cache.
    String[] early;
    CheckResult[] results;
    boolean[] cached;
    RuntimeException[] errors;
    boolean settled;

    ImageWork(String image, List<ImageCheck> checks, ObjectNode io) {
      this.image = image;
      this.checks = checks;
      this.io = io;
      this.out = io.putArray("checks");
    }
  }

  // Lookups only: what is already decided goes into the work's output, what needs verifying into
  // its misses.
  private void prepare(ImageWork w, boolean mutate, String policyVersion, TrustSnapshot t, boolean memoryOnly) {
    String image = w.image;
    List<ImageCheck> checks = w.checks;
    try {
      w.ref = reference(image);
    } catch (IllegalArgumentException e) {
      for (ImageCheck c : checks) {
        fail(c, "image " + image + ": not a valid image reference: " + e.getMessage(), w.out, w.failures, w.warnings);
      }
      w.settled = true;
      return;
    }
    ImageReference ref = w.ref;
    int timeout = checks.stream().mapToInt(ImageCheck::timeoutSeconds).min().orElse(10);
    // The mirror gets at most half the webhook timeout, so the API server always hears our answer.
    Deadline deadline = Deadline.in(min(registryDeadline, Duration.ofMillis(timeout * 500L)));
    Optional<Digest> digest;
    long evidenceVersion;
    try {
      if (memoryOnly) {
        digest = ref.digest() != null ? Optional.of(ref.digest()) : inMemory(evidence.resolveInMemory(ref));
        evidenceVersion = digest.isPresent() ? inMemory(evidence.subjectVersionInMemory(ref, digest.get())) : 0;
      } else {
        digest = ref.digest() != null ? Optional.of(ref.digest()) : evidence.resolve(ref, deadline);
        evidenceVersion = digest.isPresent() ? evidence.subjectVersion(ref, digest.get(), deadline) : 0;
      }
    } catch (NotInMemory e) {
      throw e;
    } catch (RuntimeException e) {
      for (ImageCheck c : checks) {
        internal(c, image, e, w.out, w.failures, w.warnings);
      }
      w.settled = true;
      return;
    }
    digest.ifPresent(d -> w.io.put("digest", d.toString()));
    w.io.put("evidenceVersion", evidenceVersion);
    if (digest.isPresent()) {
      Revocations revocations = memoryOnly ? inMemory(evidence.revocationsInMemory()) : evidence.revocations();
      Optional<String> revoked = revocations.digest(digest.get());
      if (revoked.isPresent()) {
        for (ImageCheck c : checks) {
          fail(c, "image " + image + ": digest " + digest.get() + " is revoked: " + revoked.get(), w.out, w.failures,
              w.warnings);
        }
        w.settled = true;
        return;
      }
    }
    w.digest = digest.orElse(null);
    int n = checks.size();
    w.early = new String[n];
    w.results = new CheckResult[n];
    w.cached = new boolean[n];
    w.errors = new RuntimeException[n];
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < n; i++) {
      ImageCheck c = checks.get(i);
      int occurrence = seen.merge(c.policy() + "/" + c.rule(), 1, Integer::sum) - 1;
      if (c.verifyDigest() && ref.digest() == null && !(mutate && c.mutateDigest())) {
        w.early[i] = "image " + image + ": rule " + c.rule() + ": verifyDigest: the reference has no digest"
            + " (pin it as " + ref.context() + "@sha256:..., or let the mutating webhook do it)";
        continue;
      }
      if (digest.isEmpty()) {
        w.early[i] = "image " + image + ": rule " + c.rule() + ": cannot resolve tag '" + ref.tag()
            + "' to a digest: not in the evidence store" + (evidence.hasMirror() ? " nor in the site registry" : "");
        continue;
      }
      VerdictCache.Key key = new VerdictCache.Key(
          image, digest.get(), policyVersion, c.policy(), c.rule(), occurrence, evidenceVersion, t.version());
      CheckResult r = memoryOnly ? inMemory(cache.hit(key)) : cache.get(key);
      if (r != null) {
        w.results[i] = r;
        w.cached[i] = true;
        continue;
      }
      int at = i;
      Digest d = digest.get();
      w.misses.add(() -> {
        try {
          w.results[at] = cache.verifyOnce(
              key, () -> c.verify(ref, d, evidence.source(ref), t.root(), clock.instant(), clockSkew));
        } catch (RuntimeException e) {
          w.errors[at] = e;
        }
      });
    }
  }

  /** The image's checks into its output, in rule order; the digest to pin when every check passed and one asks for it. */
  private Optional<String> settle(ImageWork w) {
    if (w.settled) {
      return Optional.empty();
    }
    boolean allPassed = true;
    boolean pin = false;
    for (int i = 0; i < w.checks.size(); i++) {
      ImageCheck c = w.checks.get(i);
      if (w.early[i] != null) {
        allPassed &= fail(c, w.early[i], w.out, w.failures, w.warnings);
        continue;
      }
      if (w.errors[i] != null) {
        allPassed &= internal(c, w.image, w.errors[i], w.out, w.failures, w.warnings);
        continue;
      }
      CheckResult r = w.results[i];
      ObjectNode co = w.out.addObject();
      co.put("policy", c.policy());
      co.put("rule", c.rule());
      co.put("passed", r.passed());
      co.put("cached", w.cached[i]);
      co.put("enforce", c.enforce());
      if (!r.details().isEmpty()) {
        ArrayNode d = co.putArray("details");
        r.details().forEach(d::add);
      }
      if (r.passed()) {
        pin |= c.mutateDigest();
      } else {
        co.put("message", r.message());
        allPassed &= fail(c, r.message(), null, w.failures, w.warnings);
      }
    }
    return allPassed && pin && w.ref.digest() == null ? Optional.of(w.digest.toString()) : Optional.empty();
  }

  // Runs the verifications: here when there is one, else spread over the pool with this thread
  // taking whatever no pool thread has started yet (so a busy pool never makes a request wait in
  // its queue).
  private void verifyAll(List<Runnable> tasks) {
    if (tasks.size() <= 1 || verifiers == null) {
      tasks.forEach(Runnable::run);
      return;
    }
    List<Claim> claims = tasks.stream().map(Claim::new).toList();
    for (int i = 1; i < claims.size(); i++) {
      try {
        verifiers.execute(claims.get(i)::tryRun);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // The caller runs it below.
      }
    }
    claims.forEach(Claim::tryRun);
    claims.forEach(Claim::await);
  }

  private static final class Claim {
    private final Runnable task;
    private final java.util.concurrent.atomic.AtomicBoolean taken = new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);

    Claim(Runnable task) {
      this.task = task;
    }

    void tryRun() {
      if (taken.compareAndSet(false, true)) {
        try {
          task.run();
        } finally {
          done.countDown();
        }
      }
    }

    void await() {
      boolean interrupted = false;
      while (true) {
        try {
          done.await();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static <T> T inMemory(T value) {
    if (value == null) {
      throw NotInMemory.INSTANCE;
    }
    return value;
  }

  // Pods repeat the same few image strings; parsing them once saves the hottest path a regex pass.
  private ImageReference reference(String image) {
    ImageReference r = references.get(image);
    if (r == null) {
      r = ImageReference.parse(image);
      if (references.size() >= MAX_REFERENCES) {
        references.clear();
      }
      references.put(image, r);
    }
    return r;
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
