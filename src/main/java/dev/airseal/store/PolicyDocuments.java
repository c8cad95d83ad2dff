package dev.airseal.store;

import dev.airseal.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Policy documents uploaded through the API (table {@code admission_policy}). Each change is
 * audited in the same transaction ({@code admission.policy}, outcome put or delete).
 */
public final class PolicyDocuments {
  public record Stored(String name, String content, String sha256, long updatedAt, String updatedBy) {}

  private final DataSource ds;

  public PolicyDocuments(DataSource ds) {
    this.ds = ds;
  }

  public List<Stored> all() {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "SELECT name, content, sha256, updated_at, updated_by FROM admission_policy ORDER BY name");
        ResultSet rs = ps.executeQuery()) {
      List<Stored> out = new ArrayList<>();
      while (rs.next()) {
        out.add(new Stored(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5)));
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the policy documents", e);
    }
  }

  /** Adds or replaces {@code name}; true when it was new. */
  public boolean put(String name, String content, String actor) {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try {
        boolean existed;
        try (PreparedStatement del = c.prepareStatement("DELETE FROM admission_policy WHERE name = ?")) {
          del.setString(1, name);
          existed = del.executeUpdate() > 0;
        }
        String sha = Digest.of(content.getBytes(StandardCharsets.UTF_8)).hex();
        try (PreparedStatement ins = c.prepareStatement(
            "INSERT INTO admission_policy (name, content, sha256, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)")) {
          ins.setString(1, name);
          ins.setString(2, content);
          ins.setString(3, sha);
          ins.setLong(4, System.currentTimeMillis());
          ins.setString(5, actor);
          ins.executeUpdate();
        }
        AuditLog.append(c, "admission.policy", actor, name, "put", "{\"sha256\":\"" + sha + "\"}");
        c.commit();
        return !existed;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot write the policy documents", e);
    }
  }

  /** Removes {@code name}; false when there was none. */
  public boolean delete(String name, String actor) {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try {
        int n;
        try (PreparedStatement del = c.prepareStatement("DELETE FROM admission_policy WHERE name = ?")) {
          del.setString(1, name);
          n = del.executeUpdate();
        }
        if (n > 0) {
          AuditLog.append(c, "admission.policy", actor, name, "delete", "{}");
        }
        c.commit();
        return n > 0;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot write the policy documents", e);
    }
  }
}
