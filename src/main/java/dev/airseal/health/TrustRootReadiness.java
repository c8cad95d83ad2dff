package dev.airseal.health;

import dev.airseal.config.AirsealConfig;
import dev.airseal.store.TrustRootVersions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while the current trust-root version is younger than {@code airseal.trust.max-age}: trust
 * material nobody has revised in that long is treated as stale (missed rotations, expiries).
 */
@Readiness
@ApplicationScoped
public class TrustRootReadiness implements HealthCheck {
  static final String NAME = "trust-root";

  @Inject AirsealConfig config;
  @Inject Instance<DataSource> dataSource;

  @Override
  public HealthCheckResponse call() {
    Duration maxAge = config.trust().maxAge();
    var r = HealthCheckResponse.named(NAME).withData("maxAge", maxAge.toString());
    try {
      var current = new TrustRootVersions(dataSource.get()).current();
      if (current.isEmpty()) {
        return r.down().withData("reason", "no trust-root version exists yet").build();
      }
      var v = current.get();
      Instant created = Instant.ofEpochMilli(v.createdAt());
      Duration age = Duration.between(created, Instant.now());
      r.withData("version", v.version())
          .withData("createdAt", created.toString())
          .withData("age", age.withNanos(0).toString());
      if (age.compareTo(maxAge) > 0) {
        return r.down()
            .withData(
                "reason",
                "trust-root version " + v.version() + " was created " + created + ", "
                    + age.toDays() + " days ago, past airseal.trust.max-age " + maxAge
                    + ": review and publish a new version")
            .build();
      }
      return r.up().build();
    } catch (RuntimeException e) {
      return r.down().withData("reason", "cannot read the trust root: " + e).build();
    }
  }
}
