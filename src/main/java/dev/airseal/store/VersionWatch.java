package dev.airseal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * Tells in-process listeners when a version number in the database changes, whoever changed it:
 * this replica or another one on the same PostgreSQL. Each watched version is one query returning
 * one number (e.g. {@code SELECT version FROM evidence_state WHERE id = 1}); it is re-read every
 * poll interval, and at once when a writer {@link #announce}s a change (PostgreSQL NOTIFY on {@link
 * #CHANNEL}, delivered when the writer's transaction commits). Caches keyed on such a version thus
 * go stale on every replica within one poll interval at worst, and within milliseconds usually.
 */
public final class VersionWatch implements AutoCloseable {
  public static final String CHANNEL = "airseal_versions";
  private static final Logger LOG = Logger.getLogger(VersionWatch.class.getName());

  private record Watched(String name, String query, LongConsumer listener, long[] last) {}

  private final DataSource ds;
  private final boolean postgres;
  private final Duration pollInterval;
  private final List<Watched> watched = new CopyOnWriteArrayList<>();
  private final Object wakeUp = new Object();
  private final Thread thread;
  private volatile boolean running = true;
  private Connection listening;

  private boolean poked; // guarded by wakeUp

  public VersionWatch(DataSource ds, Duration pollInterval) {
    this.ds = ds;
    this.pollInterval = pollInterval;
    try (Connection c = ds.getConnection()) {
      this.postgres = c.getMetaData().getDatabaseProductName().toLowerCase().contains("postgres");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot reach the database to watch versions", e);
    }
    this.thread = new Thread(this::run, "airseal-version-watch");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /**
   * Calls {@code listener} with the version {@code query} returns now, and again whenever it
   * changes. Listeners run on the watch's thread: keep them quick (drop a cache, bump a counter).
   */
  public void watch(String name, String query, LongConsumer listener) {
    long now = read(query);
    watched.add(new Watched(name, query, listener, new long[] {now}));
    listener.accept(now);
  }

  /**
   * Call inside the transaction that changed version {@code name}: other replicas re-read it as
   * soon as the transaction commits (nothing is sent if it rolls back). Does nothing on H2.
   */
  public static void announce(Connection c, String name) throws SQLException {
    if (!c.getMetaData().getDatabaseProductName().toLowerCase().contains("postgres")) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
      ps.setString(1, CHANNEL);
      ps.setString(2, name);
      ps.execute();
    }
  }

  /** Re-reads every watched version now (a change made in this process, seen without delay). */
  public void poke() {
    synchronized (wakeUp) {
      poked = true; // remembered, so a poke while the thread is busy checking is not lost
      wakeUp.notifyAll();
    }
  }

  private void run() {
    while (running) {
      try {
        waitForChange();
        check();
      } catch (SQLException | RuntimeException e) {
        LOG.log(Level.WARNING, "watching versions failed; retrying", e);
        closeListening();
        sleep();
      }
    }
    closeListening();
  }

  private void waitForChange() throws SQLException {
    if (postgres) {
      if (listening == null) {
        listening = ds.getConnection();
        listening.setAutoCommit(true);
        try (Statement s = listening.createStatement()) {
          s.execute("LISTEN " + CHANNEL);
        }
      }
      // Returns early when a NOTIFY arrives; otherwise after the poll interval.
      listening.unwrap(PGConnection.class).getNotifications((int) pollInterval.toMillis());
    } else {
      sleep();
    }
  }

  private void sleep() {
    synchronized (wakeUp) {
      try {
        if (!poked) {
          wakeUp.wait(Math.max(1, pollInterval.toMillis()));
        }
        poked = false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        running = false;
      }
    }
  }

  private void check() {
    for (Watched w : watched) {
      long v = read(w.query());
      if (v != w.last()[0]) {
        w.last()[0] = v;
        try {
          w.listener().accept(v);
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "listener of version " + w.name() + " failed", e);
        }
      }
    }
  }

  private long read(String query) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(query);
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read a version with: " + query, e);
    }
  }

  private void closeListening() {
    if (listening != null) {
      try {
        listening.close();
      } catch (SQLException e) {
        // already broken
      }
      listening = null;
    }
  }

  @Override
  public void close() {
    running = false;
    poke();
    if (postgres) {
      // The thread may be blocked in LISTEN for a whole poll interval: wake it (and, harmlessly,
      // make the other replicas re-read once).
      try (Connection c = ds.getConnection()) {
        c.setAutoCommit(true);
        announce(c, "");
      } catch (SQLException e) {
        // it ends after its interval anyway
      }
    }
    try {
      thread.join(pollInterval.toMillis() + 2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
