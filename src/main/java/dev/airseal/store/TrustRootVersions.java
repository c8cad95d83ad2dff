package dev.airseal.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Stored versions of the site's trust root document. A change is a new version (never an update)
 * written with its audit event in one transaction, and only on top of the version it was derived
 * from, so two concurrent changes cannot both win.
 */
public final class TrustRootVersions {
  public record Version(int version, long createdAt, String actor, String reason, String sha256, byte[] document) {}

  private final DataSource ds;

  public TrustRootVersions(DataSource ds) {
    this.ds = ds;
  }

  public Optional<Version> current() {
    return query("SELECT version, created_at, actor, reason, sha256, document FROM trust_root_version"
        + " ORDER BY version DESC LIMIT 1", -1).stream().findFirst();
  }

  /**
   * The current version's number and document digest ({@code "0:"} when there is none): a cheap
   * query without the document. The digest is there because a restore can bring back a different
   * document under the same number.
   */
  public String currentStamp() {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "SELECT version, sha256 FROM trust_root_version ORDER BY version DESC LIMIT 1");
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getInt(1) + ":" + rs.getString(2) : "0:";
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the trust root version", e);
    }
  }

  public Optional<Version> get(int version) {
    return query("SELECT version, created_at, actor, reason, sha256, document FROM trust_root_version"
        + " WHERE version = ?", version).stream().findFirst();
  }

  /** All versions, newest first (documents included). */
  public List<Version> history() {
    return query("SELECT version, created_at, actor, reason, sha256, document FROM trust_root_version"
        + " ORDER BY version DESC", -1);
  }

  /**
   * Stores {@code document} as version {@code basedOn + 1}.
   *
   * @throws IllegalStateException if the current version is no longer {@code basedOn}
   */
  public Version add(int basedOn, byte[] document, String actor, String reason) {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try {
        Version v = add(c, basedOn, document, actor, reason);
        c.commit();
        return v;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot store a trust root version", e);
    }
  }

  /**
   * Stores {@code document} as version {@code basedOn + 1} with its audit event inside the
   * caller's transaction (an import commits its trust root with its evidence).
   *
   * @throws IllegalStateException if the current version is no longer {@code basedOn}
   */
  public static Version add(Connection c, int basedOn, byte[] document, String actor, String reason)
      throws SQLException {
    int current = 0;
    try (PreparedStatement ps = c.prepareStatement("SELECT MAX(version) FROM trust_root_version");
        ResultSet rs = ps.executeQuery()) {
      if (rs.next()) {
        current = rs.getInt(1);
      }
    }
    if (current != basedOn) {
      throw new IllegalStateException(
          "trust root changed meanwhile: now at version " + current + ", change based on " + basedOn);
    }
    long now = System.currentTimeMillis();
    String sha;
    try {
      sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(document));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO trust_root_version (version, created_at, actor, reason, sha256, document)"
            + " VALUES (?, ?, ?, ?, ?, ?)")) {
      ps.setInt(1, basedOn + 1);
      ps.setLong(2, now);
      ps.setString(3, actor);
      ps.setString(4, reason);
      ps.setString(5, sha);
      ps.setString(6, new String(document, StandardCharsets.UTF_8));
      ps.executeUpdate();
    }
    AuditLog.append(c, "trust-root", actor, "version " + (basedOn + 1), "changed",
        "{\"reason\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(reason) + ",\"sha256\":\"" + sha + "\"}");
    return new Version(basedOn + 1, now, actor, reason, sha, document.clone());
  }

  private List<Version> query(String sql, int arg) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      if (arg >= 0) {
        ps.setInt(1, arg);
      }
      List<Version> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Version(rs.getInt(1), rs.getLong(2), rs.getString(3), rs.getString(4),
              rs.getString(5), rs.getString(6).getBytes(StandardCharsets.UTF_8)));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read trust root versions", e);
    }
  }
}
