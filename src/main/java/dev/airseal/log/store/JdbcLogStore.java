package dev.airseal.log.store;

import dev.airseal.log.Hex;
import dev.airseal.log.LogStore;
import dev.airseal.log.StoredEntry;
import dev.airseal.log.TreeHead;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/** {@link LogStore} over JDBC: H2 embedded by default, PostgreSQL for several replicas. */
public final class JdbcLogStore implements LogStore {
  private static final int MAX_KEY = 512;
  /** Leaf hashes looked up per query: a full batch at the default airseal.log.batch-size. */
  static final int LEAF_CHUNK = 1024;
  private final DataSource ds;
  private final boolean h2;
  private final String upsertTile;
  private final String upsertLeaf;
  private final String upsertKey;
  // How index rows are filed first: a plain INSERT on H2, where MERGE ... KEY looks every row up
  // before inserting it and costs about half again as much CPU; the upsert on PostgreSQL, whose
  // ON CONFLICT costs no extra lookup (and a failed INSERT would abort its transaction).
  private final String fileLeaf;
  private final String fileKey;

  public JdbcLogStore(DataSource ds) {
    this.ds = ds;
    try (Connection c = ds.getConnection()) {
      this.h2 = c.getMetaData().getDatabaseProductName().toLowerCase().contains("h2");
    } catch (SQLException e) {
      throw new StoreException("cannot reach the log database", e);
    }
    // Re-filing after a crash meets rows that are already there: H2's MERGE ... KEY and
    // PostgreSQL's ON CONFLICT say the same thing in each one's words.
    if (h2) {
      upsertTile =
          "MERGE INTO log_tile (tile_level, tile_index, hashes) KEY (tile_level, tile_index)"
              + " VALUES (?, ?, ?)";
      upsertLeaf = "MERGE INTO log_leaf (leaf_hash, idx) KEY (leaf_hash) VALUES (?, ?)";
      upsertKey = "MERGE INTO log_index_key (lookup_key, idx) KEY (lookup_key, idx) VALUES (?, ?)";
      fileLeaf = "INSERT INTO log_leaf (leaf_hash, idx) VALUES (?, ?)";
      fileKey = "INSERT INTO log_index_key (lookup_key, idx) VALUES (?, ?)";
    } else {
      upsertTile =
          "INSERT INTO log_tile (tile_level, tile_index, hashes) VALUES (?, ?, ?)"
              + " ON CONFLICT (tile_level, tile_index) DO UPDATE SET hashes = EXCLUDED.hashes";
      upsertLeaf =
          "INSERT INTO log_leaf (leaf_hash, idx) VALUES (?, ?) ON CONFLICT (leaf_hash) DO NOTHING";
      upsertKey =
          "INSERT INTO log_index_key (lookup_key, idx) VALUES (?, ?)"
              + " ON CONFLICT (lookup_key, idx) DO NOTHING";
      fileLeaf = upsertLeaf;
      fileKey = upsertKey;
    }
  }

  @Override
  public Optional<TreeHead> head() {
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT tree_id, tree_size, root_hash, checkpoint, updated_at FROM log_head WHERE id = 1");
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        return Optional.empty();
      }
      return Optional.of(
          new TreeHead(rs.getLong(1), rs.getLong(2), rs.getBytes(3), rs.getString(4), rs.getLong(5)));
    } catch (SQLException e) {
      throw new StoreException("cannot read the tree head", e);
    }
  }

  @Override
  public void create(TreeHead head) {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO log_head (id, tree_id, tree_size, root_hash, checkpoint, updated_at)"
                  + " VALUES (1, ?, ?, ?, ?, ?)")) {
        ps.setLong(1, head.treeId());
        ps.setLong(2, head.size());
        ps.setBytes(3, head.root());
        ps.setString(4, head.checkpoint());
        ps.setLong(5, head.timestamp());
        ps.executeUpdate();
      }
      c.commit();
      sync(c);
    } catch (SQLException e) {
      throw new StoreException("cannot create the tree head", e);
    }
  }

  @Override
  public void commit(
      long previousSize, List<StoredEntry> entries, List<TileRow> tiles, TreeHead head) {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try {
        // The head row is the log's only mutable state. Replacing it only if it still holds the
        // size this batch was built on means a second sequencer cannot silently fork the tree.
        try (PreparedStatement ps =
            c.prepareStatement(
                "UPDATE log_head SET tree_size = ?, root_hash = ?, checkpoint = ?, updated_at = ?"
                    + " WHERE id = 1 AND tree_size = ?")) {
          ps.setLong(1, head.size());
          ps.setBytes(2, head.root());
          ps.setString(3, head.checkpoint());
          ps.setLong(4, head.timestamp());
          ps.setLong(5, previousSize);
          if (ps.executeUpdate() != 1) {
            throw new IllegalStateException(
                "tree head moved away from size " + previousSize + ": another sequencer is running");
          }
        }
        insertEntries(c, entries);
        try (PreparedStatement ps = c.prepareStatement(upsertTile)) {
          for (TileRow t : tiles) {
            ps.setInt(1, t.level());
            ps.setLong(2, t.index());
            ps.setBytes(3, t.hashes());
            ps.addBatch();
          }
          ps.executeBatch();
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
      sync(c);
    } catch (SQLException e) {
      throw new StoreException("cannot commit a batch of " + entries.size() + " entries", e);
    }
  }

  private static void insertEntries(Connection c, List<StoredEntry> entries) throws SQLException {
    try (PreparedStatement pe =
        c.prepareStatement(
            "INSERT INTO log_entry (idx, leaf_hash, integrated_time, kind, api_version, body,"
                + " signed_entry_timestamp, index_keys) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (StoredEntry e : entries) {
        pe.setLong(1, e.index());
        pe.setBytes(2, e.leafHash());
        pe.setLong(3, e.integratedTime());
        pe.setString(4, e.kind());
        pe.setString(5, e.apiVersion());
        pe.setBytes(6, e.body());
        pe.setBytes(7, e.signedEntryTimestamp());
        pe.setString(8, String.join("\n", e.indexKeys()));
        pe.addBatch();
      }
      pe.executeBatch();
    }
  }

  @Override
  public void index(List<StoredEntry> entries, long indexedSize) {
    try {
      index(entries, indexedSize, fileLeaf, fileKey);
    } catch (StoreException e) {
      if (fileLeaf.equals(upsertLeaf) || !duplicateKey(e.getCause())) {
        throw e;
      }
      // Some of these rows are filed already (entries filed again at start-up, or by a second
      // leader for a moment): the transaction was rolled back, and merging files the rest.
      index(entries, indexedSize, upsertLeaf, upsertKey);
    }
  }

  private void index(List<StoredEntry> entries, long indexedSize, String leafSql, String keySql) {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try {
        insertIndexRows(c, entries, leafSql, keySql);
        try (PreparedStatement ps =
            c.prepareStatement("UPDATE log_head SET indexed_size = ? WHERE id = 1 AND indexed_size < ?")) {
          ps.setLong(1, indexedSize);
          ps.setLong(2, indexedSize);
          ps.executeUpdate();
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot index " + entries.size() + " entries", e);
    }
  }

  @Override
  public long indexedSize() {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT indexed_size FROM log_head WHERE id = 1");
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    } catch (SQLException e) {
      throw new StoreException("cannot read the indexed size", e);
    }
  }

  private static boolean duplicateKey(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      for (SQLException s = c instanceof SQLException q ? q : null; s != null; s = s.getNextException()) {
        if ("23505".equals(s.getSQLState())) {
          return true;
        }
      }
    }
    return false;
  }

  private void insertIndexRows(Connection c, List<StoredEntry> entries, String leafSql, String keySql)
      throws SQLException {
    try (PreparedStatement pl = c.prepareStatement(leafSql);
        PreparedStatement pk = c.prepareStatement(keySql)) {
      for (StoredEntry e : entries) {
        pl.setBytes(1, e.leafHash());
        pl.setLong(2, e.index());
        pl.addBatch();
        for (String k : new HashSet<>(e.indexKeys())) {
          if (k.length() > MAX_KEY) {
            continue; // longer than the column: not searchable, rather than truncated and wrong
          }
          pk.setString(1, k);
          pk.setLong(2, e.index());
          pk.addBatch();
        }
      }
      pl.executeBatch();
      pk.executeBatch();
    }
  }

  // H2 does not fsync on commit: force the store to disk before anyone is told the batch is in.
  // PostgreSQL's commit returns after its WAL is flushed (synchronous_commit, on by default).
  private void sync(Connection c) throws SQLException {
    if (h2) {
      c.setAutoCommit(true);
      try (Statement s = c.createStatement()) {
        s.execute("CHECKPOINT SYNC");
      }
    }
  }

  @Override
  public byte[] tileBytes(int level, long index) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT hashes FROM log_tile WHERE tile_level = ? AND tile_index = ?")) {
      ps.setInt(1, level);
      ps.setLong(2, index);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getBytes(1) : null;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read tile " + level + "/" + index, e);
    }
  }

  @Override
  public Optional<StoredEntry> entry(long index) {
    List<StoredEntry> l = entries(index, index + 1);
    return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
  }

  @Override
  public List<StoredEntry> entries(long from, long to) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT idx, leaf_hash, integrated_time, kind, api_version, body,"
                    + " signed_entry_timestamp, index_keys FROM log_entry"
                    + " WHERE idx >= ? AND idx < ? ORDER BY idx")) {
      ps.setLong(1, from);
      ps.setLong(2, to);
      List<StoredEntry> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new StoredEntry(
                  rs.getLong(1),
                  rs.getBytes(2),
                  rs.getLong(3),
                  rs.getString(4),
                  rs.getString(5),
                  rs.getBytes(6),
                  rs.getBytes(7),
                  splitKeys(rs.getString(8))));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException("cannot read entries [" + from + ", " + to + ")", e);
    }
  }

  private static List<String> splitKeys(String joined) {
    return joined == null || joined.isEmpty() ? List.of() : List.of(joined.split("\n"));
  }

  @Override
  public Optional<Long> indexOfLeaf(byte[] leafHash) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT idx FROM log_leaf WHERE leaf_hash = ?")) {
      ps.setBytes(1, leafHash);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new StoreException("cannot look up a leaf", e);
    }
  }

  @Override
  public Set<String> existingLeaves(Collection<byte[]> leafHashes) {
    Set<String> found = new HashSet<>();
    if (leafHashes.isEmpty()) {
      return found;
    }
    // One query per chunk, not per leaf: on PostgreSQL every query is a round trip, and the
    // sequencer asks this for each batch before it commits. The IN list is portable SQL; chunks
    // keep the statement well under PostgreSQL's 32767 bind parameters.
    List<byte[]> all = new ArrayList<>(leafHashes);
    try (Connection c = ds.getConnection()) {
      PreparedStatement full = null;
      try {
        for (int from = 0; from < all.size(); from += LEAF_CHUNK) {
          List<byte[]> chunk = all.subList(from, Math.min(all.size(), from + LEAF_CHUNK));
          if (chunk.size() == LEAF_CHUNK) {
            if (full == null) {
              full = c.prepareStatement(leavesIn(LEAF_CHUNK));
            }
            collectLeaves(full, chunk, found);
          } else {
            try (PreparedStatement last = c.prepareStatement(leavesIn(chunk.size()))) {
              collectLeaves(last, chunk, found);
            }
          }
        }
      } finally {
        if (full != null) {
          full.close();
        }
      }
      return found;
    } catch (SQLException e) {
      throw new StoreException("cannot look up " + all.size() + " leaves", e);
    }
  }

  private static String leavesIn(int n) {
    return "SELECT leaf_hash FROM log_leaf WHERE leaf_hash IN ("
        + String.join(", ", Collections.nCopies(n, "?")) + ")";
  }

  private static void collectLeaves(PreparedStatement ps, List<byte[]> chunk, Set<String> found)
      throws SQLException {
    for (int i = 0; i < chunk.size(); i++) {
      ps.setBytes(i + 1, chunk.get(i));
    }
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        found.add(Hex.encode(rs.getBytes(1)));
      }
    }
  }

  @Override
  public List<Long> search(String key, int limit) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT idx FROM log_index_key WHERE lookup_key = ? ORDER BY idx LIMIT ?")) {
      ps.setString(1, key);
      ps.setInt(2, limit);
      List<Long> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getLong(1));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException("cannot search the index", e);
    }
  }
}
