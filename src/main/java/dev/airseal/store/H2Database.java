package dev.airseal.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * What backup and restore need from the embedded H2 database: its kind, an online backup, and for
 * a stopped install, opening its files directly.
 */
public final class H2Database {
  /** H2's "Database may be already in use" error: another process holds the file lock. */
  private static final int DATABASE_ALREADY_OPEN = 90020;

  private H2Database() {}

  /** The product name the driver reports, e.g. {@code H2} or {@code PostgreSQL}. */
  public static String productName(DataSource ds) throws H2Exception {
    try (Connection c = ds.getConnection()) {
      return c.getMetaData().getDatabaseProductName();
    } catch (SQLException e) {
      throw new H2Exception("cannot reach the database: " + e.getMessage(), false, e);
    }
  }

  /**
   * H2's online backup into a zip file: it does not lock tables, and it is transactionally
   * consistent (the store is copied as of one committed version).
   */
  public static void backupTo(DataSource ds, Path zip) throws H2Exception {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute("BACKUP TO '" + zip.toAbsolutePath().toString().replace("'", "''") + "'");
    } catch (SQLException e) {
      throw new H2Exception("H2 BACKUP TO failed: " + e.getMessage(), false, e);
    }
  }

  /**
   * The database path of an H2 file URL ({@code jdbc:h2:file:/x/db/airseal;OPT=..} → {@code
   * /x/db/airseal}); empty for any other URL (PostgreSQL, in-memory, a TCP server).
   */
  public static Optional<Path> filePath(String jdbcUrl) {
    String prefix = "jdbc:h2:file:";
    if (!jdbcUrl.startsWith(prefix)) {
      return Optional.empty();
    }
    String rest = jdbcUrl.substring(prefix.length());
    int semi = rest.indexOf(';');
    return Optional.of(Path.of(semi < 0 ? rest : rest.substring(0, semi)));
  }

  /** A failure to open or use a stopped install's database; {@link #inUse()} when it is running. */
  public static final class H2Exception extends Exception {
    private final boolean inUse;

    H2Exception(String message, boolean inUse, Throwable cause) {
      super(message, cause);
      this.inUse = inUse;
    }

    public boolean inUse() {
      return inUse;
    }
  }

  /** Entries in the log of the stopped install's database at {@code dbPath}. */
  public static long logEntries(Path dbPath, String user, String password) throws H2Exception {
    try (Connection c = open(dbPath, user, password)) {
      return logEntries(c);
    } catch (SQLException e) {
      throw failure(dbPath, e);
    }
  }

  /**
   * The body of a log's only entry and the origin line of its stored checkpoint, when the log holds
   * exactly one entry; empty otherwise.
   */
  public static java.util.Optional<OnlyEntry> onlyLogEntry(Path dbPath, String user, String password)
      throws H2Exception {
    try (Connection c = open(dbPath, user, password)) {
      if (logEntries(c) != 1) {
        return java.util.Optional.empty();
      }
      byte[] body;
      String checkpoint;
      try (Statement s = c.createStatement()) {
        try (java.sql.ResultSet r = s.executeQuery("SELECT body FROM log_entry WHERE idx = 0")) {
          if (!r.next()) {
            return java.util.Optional.empty();
          }
          body = r.getBytes(1);
        }
        try (java.sql.ResultSet r = s.executeQuery("SELECT checkpoint FROM log_head WHERE id = 1")) {
          if (!r.next()) {
            return java.util.Optional.empty();
          }
          checkpoint = r.getString(1);
        }
      }
      return java.util.Optional.of(new OnlyEntry(body, checkpoint.split("\n", 2)[0]));
    } catch (SQLException e) {
      throw failure(dbPath, e);
    }
  }

  /** A log's only entry: its canonical body, and the log's origin (the checkpoint's first line). */
  public record OnlyEntry(byte[] body, String origin) {}

  /**
   * Records a restore in the audit log of the restored (not yet running) database and closes it
   * cleanly; returns the number of log entries it holds.
   */
  public static long recordRestore(Path dbPath, String user, String password, String actor,
      String subject, java.util.function.LongFunction<String> detailForEntries) throws H2Exception {
    try (Connection c = open(dbPath, user, password)) {
      long entries = logEntries(c);
      AuditLog.append(c, "restore", actor, subject, "ok", detailForEntries.apply(entries));
      try (Statement s = c.createStatement()) {
        s.execute("SHUTDOWN");
      }
      return entries;
    } catch (SQLException e) {
      throw failure(dbPath, e);
    }
  }

  private static Connection open(Path dbPath, String user, String password) throws SQLException {
    // IFEXISTS: a wrong path must fail, not create an empty database next to the real one.
    return DriverManager.getConnection(
        "jdbc:h2:file:" + dbPath.toAbsolutePath() + ";IFEXISTS=TRUE", user, password);
  }

  private static H2Exception failure(Path dbPath, SQLException e) {
    if (e.getErrorCode() == DATABASE_ALREADY_OPEN) {
      return new H2Exception(
          "the database " + dbPath + " is in use by another process: stop the service first", true, e);
    }
    return new H2Exception("database " + dbPath + ": " + e.getMessage(), false, e);
  }

  private static long logEntries(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM log_entry");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
