package dev.airseal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Proves the database takes writes: rewrites its one probe row in a committed transaction. */
public final class DatabaseProbe {
  private final DataSource ds;

  public DatabaseProbe(DataSource ds) {
    this.ds = ds;
  }

  /**
   * @throws SQLException as the driver reports it (read-only, disk full, unreachable)
   */
  public void write(long now) throws SQLException {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps =
          c.prepareStatement("UPDATE health_probe SET checked_at = ? WHERE id = 1")) {
        ps.setLong(1, now);
        if (ps.executeUpdate() != 1) {
          throw new SQLException("health_probe row 1 is missing");
        }
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    }
  }
}
