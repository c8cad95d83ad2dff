package dev.airseal.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * A fresh H2 file database with the log schema, behind a connection pool as the service has one
 * (Agroal there, H2's own pool here): without a pool every store call would open a session.
 */
public final class BenchDatabase implements AutoCloseable {
  private static final String SCHEMA = "db/migration/V1__log.sql";
  // Flyway warns that H2 2.4 is newer than it was verified with; the bench's output is its figures.
  private static final java.util.logging.Logger FLYWAY_DB =
      java.util.logging.Logger.getLogger("org.flywaydb.core.internal.database.base.Database");

  static {
    FLYWAY_DB.setLevel(java.util.logging.Level.SEVERE);
  }

  private final Path dir;
  private final String url;
  private final JdbcConnectionPool pool;
  private final String migratedBy;

  private BenchDatabase(Path dir, int maxConnections) {
    this.dir = dir;
    this.url = "jdbc:h2:file:" + dir.toAbsolutePath().resolve("db") + ";DB_CLOSE_ON_EXIT=FALSE";
    this.pool = JdbcConnectionPool.create(url, "airseal", "");
    pool.setMaxConnections(maxConnections);
    this.migratedBy = migrate(pool);
  }

  public static BenchDatabase create(Path dir) {
    return new BenchDatabase(dir, 16);
  }

  // Flyway finds classpath migrations when run from Maven; inside the packaged Quarkus jar its
  // scanner may see none (Quarkus indexes them at build time), so fall back to the script itself.
  private static String migrate(DataSource ds) {
    int applied;
    try {
      applied = Flyway.configure().dataSource(ds).load().migrate().migrationsExecuted;
    } catch (RuntimeException e) {
      applied = 0;
    }
    if (applied > 0) {
      return "Flyway";
    }
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        InputStream in =
            Thread.currentThread().getContextClassLoader().getResourceAsStream(SCHEMA)) {
      if (in == null) {
        throw new IllegalStateException("schema " + SCHEMA + " is not on the classpath");
      }
      var tables = c.getMetaData().getTables(null, null, "LOG_HEAD", null);
      if (tables.next()) {
        return "Flyway";
      }
      String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      for (String stmt : sql.replaceAll("(?m)^--.*$", "").split(";")) {
        if (!stmt.isBlank()) {
          s.execute(stmt);
        }
      }
      return "schema script " + SCHEMA;
    } catch (SQLException | IOException e) {
      throw new IllegalStateException("cannot create the log schema", e);
    }
  }

  public DataSource dataSource() {
    return pool;
  }

  public String url() {
    return url;
  }

  public String migratedBy() {
    return migratedBy;
  }

  public Path dir() {
    return dir;
  }

  /** Bytes on disk under the database directory. */
  public long sizeOnDisk() {
    return BenchDatabase.sizeOf(dir);
  }

  public static long sizeOf(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Closes the database cleanly (H2 writes its final state on SHUTDOWN). */
  @Override
  public void close() {
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement()) {
      s.execute("SHUTDOWN");
    } catch (SQLException e) {
      // already closed
    }
    pool.dispose();
  }
}
