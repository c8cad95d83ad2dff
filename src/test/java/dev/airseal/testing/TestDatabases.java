package dev.airseal.testing;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;

/**
 * Fresh databases with the service's schema, for the contract tests that run every store against
 * both supported databases. PostgreSQL is the development and CI server on 127.0.0.1:5432 (trust
 * authentication, database {@code test}, started by .ci/run); every database handed out is a
 * schema of its own, dropped when the JVM exits, so parallel runs never see each other's rows.
 */
public final class TestDatabases {
  /** The databases the service supports. */
  public enum Kind {
    H2,
    POSTGRESQL
  }

  public static final String PG_HOST = System.getProperty("pg.host", "127.0.0.1");
  public static final int PG_PORT = Integer.getInteger("pg.port", 5432);
  public static final String PG_DATABASE = System.getProperty("pg.database", "test");
  private static final List<String> SCHEMAS = new ArrayList<>();
  private static volatile String pgUser;

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(TestDatabases::dropSchemas));
  }

  private TestDatabases() {}

  /** A migrated, empty database of {@code kind}. */
  public static DataSource create(Kind kind) {
    DataSource ds = kind == Kind.H2 ? h2() : postgresSchema();
    Flyway.configure().dataSource(ds).load().migrate();
    return ds;
  }

  private static DataSource h2() {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    return ds;
  }

  /** An empty schema of its own on the test server (not migrated): its JDBC URL. */
  public static String postgresSchemaUrl() {
    String user = postgresUser();
    String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    try (Connection c = DriverManager.getConnection(serverUrl(), user, "");
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create schema " + schema, e);
    }
    synchronized (SCHEMAS) {
      SCHEMAS.add(schema);
    }
    return serverUrl() + "?currentSchema=" + schema;
  }

  // Pooled as the service pools it (Agroal): a PostgreSQL connection costs a server process.
  private static DataSource postgresSchema() {
    String url = postgresSchemaUrl();
    try {
      return AgroalDataSource.from(
          new AgroalDataSourceConfigurationSupplier()
              .connectionPoolConfiguration(
                  cp ->
                      cp.maxSize(8)
                          .connectionFactoryConfiguration(
                              cf -> cf.jdbcUrl(url).principal(new NamePrincipal(postgresUser())))));
    } catch (SQLException e) {
      throw new IllegalStateException("cannot pool connections to " + url, e);
    }
  }

  private static String serverUrl() {
    return "jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/" + PG_DATABASE;
  }

  /**
   * The role to log in as: {@code postgres}, else the OS user (root on CI). Skips the calling test
   * when no server answers, except under {@code CI=true}, where .ci/run starts one.
   */
  public static String postgresUser() {
    if (pgUser != null) {
      return pgUser;
    }
    SQLException last = null;
    for (String user : List.of("postgres", System.getProperty("user.name", "root"))) {
      try (Connection c = DriverManager.getConnection(serverUrl(), user, "")) {
        pgUser = user;
        return user;
      } catch (SQLException e) {
        last = e;
      }
    }
    return Peers.unavailable(
        "PostgreSQL at " + PG_HOST + ":" + PG_PORT + "/" + PG_DATABASE + " refused us ("
            + (last == null ? "?" : last.getMessage()) + "); .ci/run starts it");
  }

  private static void dropSchemas() {
    List<String> schemas;
    synchronized (SCHEMAS) {
      schemas = List.copyOf(SCHEMAS);
    }
    if (schemas.isEmpty() || pgUser == null) {
      return;
    }
    try (Connection c = DriverManager.getConnection(serverUrl(), pgUser, "");
        Statement s = c.createStatement()) {
      for (String schema : schemas) {
        s.execute("DROP SCHEMA IF EXISTS " + schema.toLowerCase(Locale.ROOT) + " CASCADE");
      }
    } catch (SQLException e) {
      System.err.println("could not drop test schemas " + schemas + ": " + e.getMessage());
    }
  }
}
