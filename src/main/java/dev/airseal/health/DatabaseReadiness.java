package dev.airseal.health;

import dev.airseal.store.DatabaseProbe;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready while the database commits a write: a full disk or a read-only mount fails appends. */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements HealthCheck {
  static final String NAME = "database-writable";

  @Inject Instance<DataSource> dataSource;
  private CachedCheck cached;

  @PostConstruct
  void init() {
    cached = new CachedCheck(Duration.ofSeconds(5), this::writeOnce);
  }

  @Override
  public HealthCheckResponse call() {
    return cached.get();
  }

  private HealthCheckResponse writeOnce() {
    var r = HealthCheckResponse.named(NAME).withData("checkedAt", Instant.now().toString());
    try {
      new DatabaseProbe(dataSource.get()).write(System.currentTimeMillis());
      return r.up().build();
    } catch (Exception e) {
      return r.down().withData("reason", "the database refused a write: " + e).build();
    }
  }
}
