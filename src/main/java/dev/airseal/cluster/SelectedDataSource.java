package dev.airseal.cluster;

import dev.airseal.config.AirsealConfig;
import io.agroal.api.AgroalDataSource;
import io.quarkus.arc.Arc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import javax.sql.DataSource;

/**
 * The one database every store uses: the datasource named by {@code airseal.database.kind}. Both
 * drivers are built into the jar (Quarkus fixes a datasource's kind at build time), so the choice
 * is which of the two named datasources is active.
 */
@ApplicationScoped
public class SelectedDataSource {
  public static final String H2 = "h2";
  public static final String POSTGRESQL = "postgresql";

  @Inject AirsealConfig config;

  @Produces
  @Default
  @Singleton
  DataSource dataSource() {
    String kind = config.database().kind();
    if (!H2.equals(kind) && !POSTGRESQL.equals(kind)) {
      throw new IllegalStateException(
          "airseal.database.kind is '" + kind + "'; it must be h2 or postgresql");
    }
    return Arc.container()
        .select(AgroalDataSource.class, new io.quarkus.agroal.DataSource.DataSourceLiteral(kind))
        .get();
  }

  /** Whether the replicas of this site share one PostgreSQL database (leader election, HA). */
  public boolean shared() {
    return POSTGRESQL.equals(config.database().kind());
  }
}
