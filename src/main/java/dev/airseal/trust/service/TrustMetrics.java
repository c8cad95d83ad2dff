package dev.airseal.trust.service;

import dev.airseal.store.TrustRootVersions;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Optional;

/** Trust-root version and age as gauges, read from the store at each scrape. */
@ApplicationScoped
public class TrustMetrics {
  @Inject MeterRegistry registry;
  @Inject TrustRootService service;
  @Inject dev.airseal.config.AirsealConfig config;

  void register(@Observes StartupEvent ev) {
    Gauge.builder("airseal.trust.root.version", this, m -> m.current().map(v -> (double) v.version()).orElse(Double.NaN))
        .description("Current trust-root version (NaN before the first)")
        .register(registry);
    Gauge.builder("airseal.trust.root.age", this,
            m -> m.current().map(v -> (System.currentTimeMillis() - v.createdAt()) / 1000.0).orElse(Double.NaN))
        .description("Seconds since the current trust-root version was created")
        .baseUnit("seconds")
        .register(registry);
    // The same rule as the trust-root readiness check, so an alert and the probe agree.
    Gauge.builder("airseal.trust.root.stale", this,
            m -> m.current().map(v -> System.currentTimeMillis() - v.createdAt() > config.trust().maxAge().toMillis() ? 1.0 : 0.0)
                .orElse(1.0))
        .description("1 when there is no trust root or it is older than airseal.trust.max-age, else 0")
        .register(registry);
  }

  private Optional<TrustRootVersions.Version> current() {
    try {
      return service.versions().current();
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
