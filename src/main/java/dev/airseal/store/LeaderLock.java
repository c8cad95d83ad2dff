package dev.airseal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * A PostgreSQL session-level advisory lock held on a connection of its own: whoever holds it is the
 * one leader. The server frees it when that session ends, which is when the holder's process dies
 * (its socket closes) or its host vanishes (TCP keepalives, set short here, give up on it).
 */
public final class LeaderLock implements AutoCloseable {
  /** The lock of the log's sequencer ("airseal" and 1). */
  public static final long LOG_SEQUENCER = 0x6169727365616c01L;

  private final DataSource ds;
  private final long key;
  private Connection held;

  public LeaderLock(DataSource ds, long key) {
    this.ds = ds;
    this.key = key;
  }

  /**
   * Tries once, without waiting; true when this process holds the lock afterwards.
   *
   * @throws IllegalStateException when the database cannot be asked
   */
  public synchronized boolean tryAcquire() {
    if (held != null) {
      return held();
    }
    try {
      return acquire();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot try the advisory lock: " + e.getMessage(), e);
    }
  }

  private boolean acquire() throws SQLException {
    Connection c = ds.getConnection();
    try {
      c.setAutoCommit(true);
      try (Statement s = c.createStatement()) {
        // A leader whose host dies without closing its socket is noticed in ~5 s, not ~2 h.
        s.execute("SET tcp_keepalives_idle = 2");
        s.execute("SET tcp_keepalives_interval = 1");
        s.execute("SET tcp_keepalives_count = 3");
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
        ps.setLong(1, key);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next() && rs.getBoolean(1)) {
            held = c;
            return true;
          }
        }
      }
    } catch (SQLException | RuntimeException e) {
      c.close();
      throw e;
    }
    c.close();
    return false;
  }

  /**
   * Whether the lock is still ours: our session is alive and the server still lists the lock as
   * granted to it. Any doubt (a timeout, a broken connection) answers false.
   */
  public synchronized boolean held() {
    if (held == null) {
      return false;
    }
    try (PreparedStatement ps =
        held.prepareStatement(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                + " AND pid = pg_backend_pid() AND classid = ? AND objid = ? AND objsubid = 1")) {
      ps.setQueryTimeout(2);
      ps.setLong(1, key >>> 32);
      ps.setLong(2, key & 0xffffffffL);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next() && rs.getLong(1) > 0) {
          return true;
        }
      }
    } catch (SQLException e) {
      // fall through: a session we cannot talk to may already be gone on the server
    }
    drop();
    return false;
  }

  private void drop() {
    try {
      held.close();
    } catch (SQLException e) {
      // already broken
    }
    held = null;
  }

  /** Gives the lock up (a clean shutdown hands over at once instead of after a timeout). */
  @Override
  public synchronized void close() {
    if (held == null) {
      return;
    }
    try (PreparedStatement ps = held.prepareStatement("SELECT pg_advisory_unlock(?)")) {
      ps.setLong(1, key);
      ps.execute();
    } catch (SQLException e) {
      // closing the session below frees it anyway
    }
    drop();
  }
}
