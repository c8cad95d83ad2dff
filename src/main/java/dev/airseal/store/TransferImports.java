package dev.airseal.store;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Imported transfer bundles and the keys trusted to sign them. An import lands in one transaction:
 * the producer's chain head moves by compare-and-swap, the import record, the evidence batch, a
 * carried trust root, a key rotation and the audit event are written together or not at all.
 */
public final class TransferImports {
  /** A trusted (or retired) transfer key. */
  public record Key(String keyId, String producer, String publicKeyPem, boolean active, long addedAt,
      String addedBy, String reason) {}

  /** The last bundle imported from a producer. */
  public record Head(String producer, long sequence, String bundleDigest, long updatedAt) {}

  public record Record(String producer, long sequence, String bundleDigest, String previousDigest,
      String fileDigest, String keyId, long importedAt, String actor, long logIndex, long evidenceVersion,
      int images, int excluded, String report) {}

  /** A new trust-root version to store with the import. */
  public record TrustRootChange(int basedOn, byte[] document, String reason) {}

  /**
   * The last imported checkpoint of an upstream log (its origin line), with the bundle that carried it.
   *
   * @param rootHash lowercase hex
   */
  public record UpstreamCheckpoint(String origin, long treeSize, String rootHash, String checkpoint, String logUrl,
      String producer, long sequence, long updatedAt) {}

  /**
   * A checkpoint to store with the import, replacing the one of {@code expectedSize} (empty: the
   * log had none); if another import moved it meanwhile, nothing is written.
   */
  public record UpstreamChange(UpstreamCheckpoint next, Optional<Long> expectedSize) {}

  /**
   * The upstream TUF state accepted so far under one trust anchor (SHA-256 hex of the installed
   * root.json): the highest root and the timestamp, snapshot and targets versions.
   */
  public record UpstreamTuf(String anchor, int rootVersion, String rootJson, long timestampVersion,
      long snapshotVersion, long targetsVersion, String producer, long sequence, long updatedAt) {}

  /**
   * The TUF state to store with the import, replacing {@code expected} (empty: none stored yet);
   * if another import moved it meanwhile, nothing is written.
   */
  public record TufChange(UpstreamTuf next, Optional<UpstreamTuf> expected) {}

  private final DataSource ds;

  public TransferImports(DataSource ds) {
    this.ds = ds;
  }

  public List<Key> keys(boolean activeOnly) {
    String sql = "SELECT key_id, producer, public_key, active, added_at, added_by, reason FROM transfer_key"
        + (activeOnly ? " WHERE active = TRUE" : "") + " ORDER BY producer, added_at";
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      List<Key> out = new ArrayList<>();
      while (rs.next()) {
        out.add(new Key(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4), rs.getLong(5),
            rs.getString(6), rs.getString(7)));
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read transfer keys", e);
    }
  }

  /** Adds a key (audited as {@code bundle.key}); false if that key is already known. */
  public boolean addKey(String keyId, String producer, String pem, String actor, String reason) {
    return tx(c -> {
      if (addKey(c, keyId, producer, pem, actor, reason)) {
        AuditLog.append(c, "bundle.key", actor, producer + "/" + keyId, "added", detail("reason", reason));
        return true;
      }
      return false;
    });
  }

  /** Retires a key (audited); false if no active key has that id. */
  public boolean retireKey(String keyId, String actor, String reason) {
    return tx(c -> {
      int n;
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE transfer_key SET active = FALSE, retired_at = ? WHERE key_id = ? AND active = TRUE")) {
        ps.setLong(1, System.currentTimeMillis());
        ps.setString(2, keyId);
        n = ps.executeUpdate();
      }
      if (n > 0) {
        AuditLog.append(c, "bundle.key", actor, keyId, "retired", detail("reason", reason));
      }
      return n > 0;
    });
  }

  private static boolean addKey(Connection c, String keyId, String producer, String pem, String actor, String reason)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM transfer_key WHERE key_id = ?")) {
      ps.setString(1, keyId);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          return false;
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO transfer_key"
        + " (key_id, producer, public_key, active, added_at, added_by, reason) VALUES (?, ?, ?, TRUE, ?, ?, ?)")) {
      ps.setString(1, keyId);
      ps.setString(2, producer);
      ps.setString(3, pem);
      ps.setLong(4, System.currentTimeMillis());
      ps.setString(5, actor);
      ps.setString(6, reason);
      ps.executeUpdate();
    }
    return true;
  }

  public Optional<Head> head(String producer) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "SELECT producer, sequence, bundle_digest, updated_at FROM transfer_producer WHERE producer = ?")) {
      ps.setString(1, producer);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(new Head(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getLong(4)))
            : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read transfer state", e);
    }
  }

  /** The last imported checkpoint of the upstream log with this origin line. */
  public Optional<UpstreamCheckpoint> upstreamCheckpoint(String origin) {
    return upstreamCheckpoints("WHERE origin = ?", origin).stream().findFirst();
  }

  /** Every upstream log's last imported checkpoint, by origin. */
  public List<UpstreamCheckpoint> upstreamCheckpoints() {
    return upstreamCheckpoints("", null);
  }

  private List<UpstreamCheckpoint> upstreamCheckpoints(String where, String arg) {
    String sql = "SELECT origin, tree_size, root_hash, checkpoint, log_url, producer, sequence, updated_at"
        + " FROM upstream_checkpoint " + where + " ORDER BY origin";
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      if (arg != null) {
        ps.setString(1, arg);
      }
      List<UpstreamCheckpoint> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new UpstreamCheckpoint(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4),
              rs.getString(5), rs.getString(6), rs.getLong(7), rs.getLong(8)));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read upstream checkpoints", e);
    }
  }

  /** The upstream TUF state accepted under this trust anchor. */
  public Optional<UpstreamTuf> upstreamTuf(String anchor) {
    String sql = "SELECT anchor, root_version, root_json, timestamp_version, snapshot_version, targets_version,"
        + " producer, sequence, updated_at FROM upstream_tuf WHERE anchor = ?";
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, anchor);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(new UpstreamTuf(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getLong(4),
            rs.getLong(5), rs.getLong(6), rs.getString(7), rs.getLong(8), rs.getLong(9))) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read upstream TUF state", e);
    }
  }

  public Optional<Record> byDigest(String bundleDigest) {
    return records("WHERE bundle_digest = ?", bundleDigest, 1).stream().findFirst();
  }

  public Optional<Record> get(String producer, long sequence) {
    return records("WHERE producer = ? AND sequence = " + sequence, producer, 1).stream().findFirst();
  }

  /** The newest imports, newest first. */
  public List<Record> history(int limit) {
    return records("", null, limit);
  }

  private List<Record> records(String where, String arg, int limit) {
    String sql = "SELECT producer, sequence, bundle_digest, previous_digest, file_digest, key_id, imported_at, actor,"
        + " log_index, evidence_version, images, excluded, report FROM transfer_import " + where
        + " ORDER BY imported_at DESC, sequence DESC LIMIT " + limit;
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      if (arg != null) {
        ps.setString(1, arg);
      }
      List<Record> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Record(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
              rs.getString(6), rs.getLong(7), rs.getString(8), rs.getLong(9), rs.getLong(10), rs.getInt(11),
              rs.getInt(12), rs.getString(13)));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read transfer imports", e);
    }
  }

  /**
   * Commits an import. {@code expectedHead} is the head sequence the import was checked against
   * (empty for a producer's first import); if another import moved it meanwhile, nothing is written.
   *
   * @param rotateTo when present, the producer's trusted keys become exactly these (id → PEM)
   * @throws IllegalStateException when the head moved (a concurrent import) or the trust root did
   */
  public EvidenceStore.Commit commit(Record r, Optional<Long> expectedHead, EvidenceBatch batch,
      Optional<TrustRootChange> trustRoot, Optional<java.util.Map<String, String>> rotateTo, String auditDetail) {
    return commit(r, expectedHead, batch, trustRoot, rotateTo, List.of(), auditDetail);
  }

  /**
   * As {@link #commit(Record, Optional, EvidenceBatch, Optional, Optional, String)}, also moving
   * upstream logs' checkpoints.
   *
   * @throws IllegalStateException also when an upstream checkpoint moved meanwhile
   */
  public EvidenceStore.Commit commit(Record r, Optional<Long> expectedHead, EvidenceBatch batch,
      Optional<TrustRootChange> trustRoot, Optional<java.util.Map<String, String>> rotateTo,
      List<UpstreamChange> upstream, String auditDetail) {
    return commit(r, expectedHead, batch, trustRoot, rotateTo, upstream, Optional.empty(), auditDetail);
  }

  /**
   * As {@link #commit(Record, Optional, EvidenceBatch, Optional, Optional, List, String)}, also
   * moving the upstream TUF state.
   *
   * @throws IllegalStateException also when the TUF state moved meanwhile
   */
  public EvidenceStore.Commit commit(Record r, Optional<Long> expectedHead, EvidenceBatch batch,
      Optional<TrustRootChange> trustRoot, Optional<java.util.Map<String, String>> rotateTo,
      List<UpstreamChange> upstream, Optional<TufChange> tuf, String auditDetail) {
    return tx(c -> {
      moveHead(c, r, expectedHead);
      for (UpstreamChange u : upstream) {
        moveUpstream(c, u);
      }
      if (tuf.isPresent()) {
        moveTuf(c, tuf.get());
      }
      EvidenceStore.Commit commit = EvidenceStore.commit(c, batch);
      insert(c, r, commit.version());
      if (trustRoot.isPresent()) {
        TrustRootVersions.add(c, trustRoot.get().basedOn(), trustRoot.get().document(), r.actor(),
            trustRoot.get().reason());
      }
      if (rotateTo.isPresent()) {
        try (PreparedStatement ps = c.prepareStatement("UPDATE transfer_key SET active = FALSE, retired_at = ?"
            + " WHERE producer = ? AND active = TRUE")) {
          ps.setLong(1, System.currentTimeMillis());
          ps.setString(2, r.producer());
          ps.executeUpdate();
        }
        for (java.util.Map.Entry<String, String> k : rotateTo.get().entrySet()) {
          if (!addKey(c, k.getKey(), r.producer(), k.getValue(), r.actor(),
              "rotated by bundle " + r.producer() + "/" + r.sequence())) {
            try (PreparedStatement ps = c.prepareStatement(
                "UPDATE transfer_key SET active = TRUE, retired_at = NULL WHERE key_id = ? AND producer = ?")) {
              ps.setString(1, k.getKey());
              ps.setString(2, r.producer());
              if (ps.executeUpdate() == 0) {
                throw new IllegalStateException("transfer key " + k.getKey() + " belongs to another producer");
              }
            }
          }
        }
        AuditLog.append(c, "bundle.key", r.actor(), r.producer(), "rotated",
            detail("keys", String.join(",", rotateTo.get().keySet())));
      }
      AuditLog.append(c, "bundle.import", r.actor(), r.producer() + "/" + r.sequence(), "ok", auditDetail);
      return commit;
    });
  }

  private static void moveHead(Connection c, Record r, Optional<Long> expected) throws SQLException {
    long now = System.currentTimeMillis();
    if (expected.isEmpty()) {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO transfer_producer (producer, sequence, bundle_digest, updated_at) VALUES (?, ?, ?, ?)")) {
        ps.setString(1, r.producer());
        ps.setLong(2, r.sequence());
        ps.setString(3, r.bundleDigest());
        ps.setLong(4, now);
        ps.executeUpdate();
      } catch (SQLException e) {
        throw new IllegalStateException("another import of producer " + r.producer() + " committed meanwhile", e);
      }
      return;
    }
    try (PreparedStatement ps = c.prepareStatement("UPDATE transfer_producer SET sequence = ?, bundle_digest = ?,"
        + " updated_at = ? WHERE producer = ? AND sequence = ?")) {
      ps.setLong(1, r.sequence());
      ps.setString(2, r.bundleDigest());
      ps.setLong(3, now);
      ps.setString(4, r.producer());
      ps.setLong(5, expected.get());
      if (ps.executeUpdate() != 1) {
        throw new IllegalStateException("another import of producer " + r.producer() + " committed meanwhile");
      }
    }
  }

  // Compare-and-swap on the size the import was checked against: a concurrent import that moved the
  // checkpoint was checked against an older one, so this one must be re-checked, not written.
  private static void moveUpstream(Connection c, UpstreamChange u) throws SQLException {
    UpstreamCheckpoint n = u.next();
    if (u.expectedSize().isEmpty()) {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO upstream_checkpoint (origin, tree_size, root_hash,"
          + " checkpoint, log_url, producer, sequence, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, n.origin());
        ps.setLong(2, n.treeSize());
        ps.setString(3, n.rootHash());
        ps.setString(4, n.checkpoint());
        ps.setString(5, n.logUrl());
        ps.setString(6, n.producer());
        ps.setLong(7, n.sequence());
        ps.setLong(8, n.updatedAt());
        ps.executeUpdate();
      } catch (SQLException e) {
        throw new IllegalStateException("another import stored a checkpoint of upstream log \"" + n.origin()
            + "\" meanwhile", e);
      }
      return;
    }
    try (PreparedStatement ps = c.prepareStatement("UPDATE upstream_checkpoint SET tree_size = ?, root_hash = ?,"
        + " checkpoint = ?, log_url = ?, producer = ?, sequence = ?, updated_at = ? WHERE origin = ? AND tree_size = ?")) {
      ps.setLong(1, n.treeSize());
      ps.setString(2, n.rootHash());
      ps.setString(3, n.checkpoint());
      ps.setString(4, n.logUrl());
      ps.setString(5, n.producer());
      ps.setLong(6, n.sequence());
      ps.setLong(7, n.updatedAt());
      ps.setString(8, n.origin());
      ps.setLong(9, u.expectedSize().get());
      if (ps.executeUpdate() != 1) {
        throw new IllegalStateException("another import moved the checkpoint of upstream log \"" + n.origin()
            + "\" meanwhile");
      }
    }
  }

  // Compare-and-swap on every stored version: a concurrent import was checked against older floors.
  private static void moveTuf(Connection c, TufChange t) throws SQLException {
    UpstreamTuf n = t.next();
    if (t.expected().isEmpty()) {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO upstream_tuf (anchor, root_version, root_json,"
          + " timestamp_version, snapshot_version, targets_version, producer, sequence, updated_at)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, n.anchor());
        ps.setInt(2, n.rootVersion());
        ps.setString(3, n.rootJson());
        ps.setLong(4, n.timestampVersion());
        ps.setLong(5, n.snapshotVersion());
        ps.setLong(6, n.targetsVersion());
        ps.setString(7, n.producer());
        ps.setLong(8, n.sequence());
        ps.setLong(9, n.updatedAt());
        ps.executeUpdate();
      } catch (SQLException e) {
        throw new IllegalStateException("another import stored upstream TUF metadata meanwhile", e);
      }
      return;
    }
    UpstreamTuf o = t.expected().get();
    try (PreparedStatement ps = c.prepareStatement("UPDATE upstream_tuf SET root_version = ?, root_json = ?,"
        + " timestamp_version = ?, snapshot_version = ?, targets_version = ?, producer = ?, sequence = ?,"
        + " updated_at = ? WHERE anchor = ? AND root_version = ? AND timestamp_version = ? AND snapshot_version = ?"
        + " AND targets_version = ?")) {
      ps.setInt(1, n.rootVersion());
      ps.setString(2, n.rootJson());
      ps.setLong(3, n.timestampVersion());
      ps.setLong(4, n.snapshotVersion());
      ps.setLong(5, n.targetsVersion());
      ps.setString(6, n.producer());
      ps.setLong(7, n.sequence());
      ps.setLong(8, n.updatedAt());
      ps.setString(9, n.anchor());
      ps.setInt(10, o.rootVersion());
      ps.setLong(11, o.timestampVersion());
      ps.setLong(12, o.snapshotVersion());
      ps.setLong(13, o.targetsVersion());
      if (ps.executeUpdate() != 1) {
        throw new IllegalStateException("another import moved the upstream TUF metadata meanwhile");
      }
    }
  }

  private static void insert(Connection c, Record r, long version) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO transfer_import (producer, sequence, bundle_digest,"
        + " previous_digest, file_digest, key_id, imported_at, actor, log_index, evidence_version, images, excluded,"
        + " report) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, r.producer());
      ps.setLong(2, r.sequence());
      ps.setString(3, r.bundleDigest());
      if (r.previousDigest() == null) {
        ps.setNull(4, Types.VARCHAR);
      } else {
        ps.setString(4, r.previousDigest());
      }
      ps.setString(5, r.fileDigest());
      ps.setString(6, r.keyId());
      ps.setLong(7, r.importedAt());
      ps.setString(8, r.actor());
      ps.setLong(9, r.logIndex());
      ps.setLong(10, version);
      ps.setInt(11, r.images());
      ps.setInt(12, r.excluded());
      ps.setString(13, r.report());
      ps.executeUpdate();
    }
  }

  /** Audits an import that was refused or changed nothing, in its own transaction. */
  public void audit(String actor, String subject, String outcome, String detail) {
    tx(c -> {
      AuditLog.append(c, "bundle.import", actor, subject, outcome, detail);
      return null;
    });
  }

  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> T tx(Work<T> w) {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try {
        T t = w.run(c);
        c.commit();
        return t;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot write transfer imports: " + e.getMessage(), e);
    }
  }

  private static String detail(String key, String value) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put(key, value);
    return n.toString();
  }
}
