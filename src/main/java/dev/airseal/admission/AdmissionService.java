package dev.airseal.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.config.AirsealConfig;
import dev.airseal.evidence.EvidenceService;
import dev.airseal.oci.RegistryClient;
import dev.airseal.oci.RegistryOptions;
import dev.airseal.store.AuditPacks;
import dev.airseal.trust.TrustedRoot;
import dev.airseal.trust.service.TrustRootService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The admission webhook's engine in the service: policies, evidence (store and site mirror), the
 * trust root, the verdict cache, the batched audit writer and the metrics, around one
 * {@link AdmissionController}.
 */
@ApplicationScoped
public class AdmissionService {
  private static final Logger LOG = Logger.getLogger(AdmissionService.class);
  public static final String AUDIT_KIND = "admission.decision";
  private static final TrustedRoot EMPTY_ROOT =
      new TrustedRoot(TrustedRoot.MEDIA_TYPE_V02, List.of(), List.of(), List.of(), List.of());

  @Inject AirsealConfig config;
  @Inject EvidenceService evidence;
  @Inject TrustRootService trustRoots;
  @Inject AdmissionPolicies policies;
  @Inject MeterRegistry registry;
  @Inject Instance<DataSource> dataSource;

  @ConfigProperty(name = "quarkus.http.host-enabled", defaultValue = "true")
  boolean listening;

  private volatile AdmissionController controller;
  private volatile TrustSnapshot trust = new TrustSnapshot(0, EMPTY_ROOT);
  private VerdictCache cache;
  private EvidenceReader reader;
  private AuditWriter audit;
  private ScheduledExecutorService trustWatch;
  private ExecutorService mirrorPool;
  private ExecutorService verifyPool;
  private Timer validateTimer;
  private Timer mutateTimer;
  private final Map<String, Counter> verdicts = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.LongAdder fromMemory = new java.util.concurrent.atomic.LongAdder();
  private final java.util.concurrent.atomic.LongAdder fromWorker = new java.util.concurrent.atomic.LongAdder();

  // After the trust root (3000) and the policies (3500) exist.
  void onStart(@Observes @Priority(3600) StartupEvent ev) {
    if (!listening) {
      return;
    }
    cache = new VerdictCache(config.admission().cacheSize());
    mirrorPool = Executors.newFixedThreadPool(4, daemon("admission-mirror"));
    reader = new EvidenceReader(evidence.store(), evidence::source, mirror(), evidence::commit, mirrorPool);
    evidence.onCommit(c -> {
      reader.committed(c);
      if (c.revocations()) {
        cache.clear();
      } else {
        c.subjects().forEach(s -> cache.invalidate(s.digest()));
      }
    });
    refreshTrust();
    trustWatch = Executors.newSingleThreadScheduledExecutor(daemon("admission-trust-watch"));
    trustWatch.scheduleWithFixedDelay(this::refreshTrust, 1, 1, TimeUnit.SECONDS);
    DataSource ds = dataSource.get();
    audit = new AuditWriter(events -> AuditPacks.append(ds, events), config.admission().auditQueue(), Duration.ofMillis(50));
    int cores = Runtime.getRuntime().availableProcessors();
    verifyPool = Executors.newFixedThreadPool(cores, daemon("admission-verify"));
    controller = new AdmissionController(
        () -> policies.current().orElseThrow(), reader, () -> trust, cache, config.admission().registryDeadline(),
        Clock.systemUTC(), config.verify().clockSkew(), verifyPool);
    validateTimer = timer("validate");
    mutateTimer = timer("mutate");
    Gauge.builder("airseal.admission.cache.entries", cache, VerdictCache::size).register(registry);
    Gauge.builder("airseal.admission.audit.pending", audit, AuditWriter::pending).register(registry);
    registry.more().counter("airseal.admission.cache.hits", List.of(), cache.hits);
    registry.more().counter("airseal.admission.cache.misses", List.of(), cache.misses);
    registry.more().counter("airseal.admission.cache.shared", List.of(), cache.shared);
    // Reviews answered from memory on the event loop, and those that needed the store or a verification.
    registry.more().counter("airseal.admission.answers", List.of(io.micrometer.core.instrument.Tag.of("path", "memory")),
        fromMemory);
    registry.more().counter("airseal.admission.answers", List.of(io.micrometer.core.instrument.Tag.of("path", "worker")),
        fromWorker);
    registry.more().counter("airseal.admission.audit.write.failures", List.of(), audit.failures);
  }

  void onStop(@Observes ShutdownEvent ev) throws InterruptedException {
    if (audit != null) {
      trustWatch.shutdownNow();
      mirrorPool.shutdownNow();
      verifyPool.shutdownNow();
      audit.close();
    }
  }

  private Timer timer(String webhook) {
    return Timer.builder("airseal.admission.latency")
        .description("Time to decide one AdmissionReview, from parsed request to response body")
        .tag("webhook", webhook)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(0).plusNanos(50_000))
        .maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry);
  }

  private Optional<MirrorReader> mirror() {
    Optional<String> url = config.registry().url().filter(u -> !u.isBlank());
    if (url.isEmpty()) {
      return Optional.empty();
    }
    String u = url.get().contains("://") ? url.get() : "https://" + url.get();
    URI uri = URI.create(u);
    String host = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
    boolean http = config.registry().plainHttp() || "http".equals(uri.getScheme());
    LOG.infof("admission reads missing evidence from the site registry %s (%s)", host, http ? "plain HTTP" : "HTTPS");
    return Optional.of(new MirrorReader(new RegistryClient(new RegistryOptions(http, false, Optional.empty())), host));
  }

  private void refreshTrust() {
    try {
      Optional<TrustRootService.Current> cur = trustRoots.current();
      int v = cur.map(TrustRootService.Current::version).orElse(0);
      if (v != trust.version()) {
        trust = new TrustSnapshot(v, cur.map(TrustRootService.Current::root).orElse(EMPTY_ROOT));
        cache.clear();
      }
    } catch (RuntimeException e) {
      LOG.warnf("cannot read the trust root: %s", e.getMessage());
    }
  }

  /** The review's request; a body that is not an {@code admission.k8s.io/v1} review throws. */
  public AdmissionRequest parse(byte[] body) throws AdmissionReviewException {
    return AdmissionReviews.parse(body);
  }

  /**
   * The answer when memoised evidence and cached verdicts suffice to decide (the audit event
   * queued, the metrics counted), else null with nothing done: then {@link #answer} decides on a
   * thread that may block.
   */
  public byte[] answerFromMemory(AdmissionRequest req, boolean mutate, long startNanos) {
    AdmissionController c = controller;
    if (c == null) {
      return null;
    }
    Decision d;
    if (policies.current().isEmpty()) {
      d = noPolicySet(req);
    } else {
      try {
        d = c.decide(req, mutate, true);
      } catch (RuntimeException e) {
        // Not decidable from memory, or an error that the blocking path will report.
        return null;
      }
    }
    byte[] out = AdmissionReviews.respond(req.uid(), d);
    if (!audit.offer(event(req, d))) {
      return null;
    }
    count(d, mutate, startNanos);
    fromMemory.increment();
    return out;
  }

  /** Decides {@code req}, reading the store and verifying as needed; fails closed on errors. */
  public byte[] answer(AdmissionRequest req, boolean mutate, long startNanos) {
    AdmissionController c = controller;
    if (c == null) {
      throw new IllegalStateException("admission is not started");
    }
    Decision d;
    if (policies.current().isEmpty()) {
      d = noPolicySet(req);
    } else {
      try {
        d = c.decide(req, mutate);
      } catch (RuntimeException e) {
        // Fail closed: an internal error denies, naming itself.
        LOG.errorf(e, "admission of %s failed", req.subject());
        ObjectNode detail = AdmissionReviews.JSON.createObjectNode().put("uid", req.uid()).put("error", e.toString());
        d = new Decision(false, 500, "airseal could not evaluate " + req.subject() + ": " + e, List.of(), List.of(),
            "deny", detail);
      }
    }
    byte[] out = AdmissionReviews.respond(req.uid(), d);
    audit.append(event(req, d));
    count(d, mutate, startNanos);
    fromWorker.increment();
    return out;
  }

  private Decision noPolicySet(AdmissionRequest req) {
    String why = policies.lastError().orElse("policies are not loaded yet");
    ObjectNode detail = AdmissionReviews.JSON.createObjectNode().put("uid", req.uid()).put("error", why);
    if (WorkloadImages.of(req.kind(), req.object()).isEmpty()) {
      return new Decision(true, 200, "", List.of(), List.of(), "allow", detail);
    }
    return new Decision(false, 500, "airseal has no valid policy set loaded, so no image can be verified: " + why,
        List.of(), List.of(), "deny", detail);
  }

  // The detail becomes text on the audit thread (AuditPacks); nothing changes it after this.
  private static AuditPacks.Event event(AdmissionRequest req, Decision d) {
    return new AuditPacks.Event(System.currentTimeMillis(), AUDIT_KIND, req.user(), req.subject(), d.outcome(), d.detail());
  }

  private void count(Decision d, boolean mutate, long startNanos) {
    java.util.Set<String> seen = new java.util.HashSet<>();
    d.detail().path("images").forEach(i -> i.path("checks").forEach(ch -> {
      String policy = ch.path("policy").asText();
      String result = ch.path("passed").asBoolean() ? "allow" : ch.path("enforce").asBoolean() ? "deny" : "warn";
      if (seen.add(policy + "|" + result)) {
        count(result, policy);
      }
    }));
    if (seen.isEmpty()) {
      count(d.outcome(), "none");
    }
    (mutate ? mutateTimer : validateTimer).record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }

  private void count(String result, String policy) {
    verdicts.computeIfAbsent(result + "|" + policy, k -> Counter.builder("airseal.admission.verdicts")
        .description("Admission verdicts, by result and policy")
        .tag("result", result).tag("policy", policy).register(registry)).increment();
  }

  /** Drops every cached verdict (operators: after editing evidence by hand). */
  public void clearCache() {
    cache.clear();
  }

  public boolean requireTls() {
    return config.admission().requireTls();
  }

  public boolean requireClientCertificate() {
    return config.admission().clientCertificate();
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
