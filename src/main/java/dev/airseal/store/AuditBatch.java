package dev.airseal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/**
 * Many audit events in one transaction: admission decides thousands of requests a second and
 * writes their audit rows in batches off the request path (see docs/admission.md).
 */
public final class AuditBatch {
  /** One event to append; {@code at} is when it happened (epoch milliseconds). */
  public record Event(long at, String kind, String actor, String subject, String outcome, String detail) {}

  private AuditBatch() {}

  /** Appends all of {@code events} or none of them. */
  public static void append(DataSource ds, List<Event> events) throws SQLException {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO audit_event (at, kind, actor, subject, outcome, detail) VALUES (?, ?, ?, ?, ?, ?)")) {
        for (Event e : events) {
          ps.setLong(1, e.at());
          ps.setString(2, e.kind());
          ps.setString(3, clip(e.actor(), 256));
          ps.setString(4, clip(e.subject(), 2048));
          ps.setString(5, e.outcome());
          ps.setString(6, e.detail());
          ps.addBatch();
        }
        ps.executeBatch();
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  private static String clip(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }
}
