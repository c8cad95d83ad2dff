package dev.airseal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.sql.DataSource;

/**
 * The audit trail. Rows are only ever inserted; a change and its audit row share one transaction
 * (see {@link #append(Connection, String, String, String, String, String)}), so neither exists
 * without the other. Admission decisions, too many for a row each, are stored in packs
 * ({@link AuditPacks}); {@link #recent} reads both.
 */
public final class AuditLog {
  private final DataSource ds;

  public AuditLog(DataSource ds) {
    this.ds = ds;
  }

  /** Appends an event inside the caller's transaction. */
  public static void append(
      Connection c, String kind, String actor, String subject, String outcome, String detail)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO audit_event (at, kind, actor, subject, outcome, detail) VALUES (?, ?, ?, ?, ?, ?)")) {
      ps.setLong(1, System.currentTimeMillis());
      ps.setString(2, kind);
      ps.setString(3, clip(actor, 256));
      ps.setString(4, clip(subject, 2048));
      ps.setString(5, outcome);
      ps.setString(6, detail);
      ps.executeUpdate();
    }
  }

  /** Appends an event in its own transaction. */
  public void append(String kind, String actor, String subject, String outcome, String detail) {
    try (Connection c = ds.getConnection()) {
      append(c, kind, actor, subject, outcome, detail);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot write the audit log", e);
    }
  }

  /** The newest events of a kind (all kinds when null), newest first, from rows and packs alike. */
  public List<AuditEvent> recent(String kind, int limit) {
    try (Connection c = ds.getConnection()) {
      List<AuditEvent> out = new ArrayList<>(rows(c, kind, limit));
      out.addAll(AuditPacks.recent(c, kind, limit));
      // Stable: events of one table keep their order when two share a millisecond.
      out.sort(Comparator.comparingLong(AuditEvent::at).reversed());
      return out.size() <= limit ? out : new ArrayList<>(out.subList(0, limit));
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the audit log", e);
    }
  }

  private static List<AuditEvent> rows(Connection c, String kind, int limit) throws SQLException {
    String sql =
        "SELECT id, at, kind, actor, subject, outcome, detail FROM audit_event"
            + (kind == null ? "" : " WHERE kind = ?")
            + " ORDER BY id DESC LIMIT ?";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      if (kind != null) {
        ps.setString(i++, kind);
      }
      ps.setInt(i, limit);
      List<AuditEvent> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new AuditEvent(Long.toString(rs.getLong(1)), rs.getLong(2), rs.getString(3), rs.getString(4),
              rs.getString(5), rs.getString(6), rs.getString(7)));
        }
      }
      return out;
    }
  }

  private static String clip(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }
}
