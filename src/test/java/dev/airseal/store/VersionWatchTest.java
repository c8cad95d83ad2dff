package dev.airseal.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airseal.testing.TestDatabases;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Two watches on one database stand for two replicas: a change committed through one is heard by
 * the other's listeners, within a second.
 */
class VersionWatchTest {
  private static final String QUERY = "SELECT version FROM evidence_state WHERE id = 1";

  private static void bump(DataSource ds, boolean announce) throws Exception {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.executeUpdate("UPDATE evidence_state SET version = version + 1 WHERE id = 1");
      }
      if (announce) {
        VersionWatch.announce(c, "evidence");
      }
      c.commit();
    }
  }

  private static DataSource withState(TestDatabases.Kind kind) throws Exception {
    DataSource ds = TestDatabases.create(kind);
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      // The evidence store's own version row (migration V5), moved to a known start.
      s.execute("UPDATE evidence_state SET version = 7 WHERE id = 1");
    }
    return ds;
  }

  @Test
  void postgres_announcedChangeReachesTheOtherReplicaBeforeItsNextPoll() throws Exception {
    DataSource ds = withState(TestDatabases.Kind.POSTGRESQL);
    BlockingQueue<Long> heard = new LinkedBlockingQueue<>();
    // A poll interval far longer than the wait below: only NOTIFY can deliver in time.
    try (VersionWatch other = new VersionWatch(ds, Duration.ofSeconds(30))) {
      other.watch("evidence", QUERY, heard::add);
      assertThat(heard.poll(1, TimeUnit.SECONDS)).isEqualTo(7L);
      Thread.sleep(200); // the watch thread is LISTENing by now
      long t0 = System.nanoTime();
      bump(ds, true);
      assertThat(heard.poll(1, TimeUnit.SECONDS)).isEqualTo(8L);
      System.out.printf("version change heard after %.1f ms%n", (System.nanoTime() - t0) / 1e6);
    }
  }

  @Test
  void postgres_unannouncedChangeIsPolled() throws Exception {
    DataSource ds = withState(TestDatabases.Kind.POSTGRESQL);
    BlockingQueue<Long> heard = new LinkedBlockingQueue<>();
    try (VersionWatch other = new VersionWatch(ds, Duration.ofMillis(300))) {
      other.watch("evidence", QUERY, heard::add);
      assertThat(heard.poll(1, TimeUnit.SECONDS)).isEqualTo(7L);
      bump(ds, false);
      assertThat(heard.poll(1, TimeUnit.SECONDS)).isEqualTo(8L);
    }
  }

  @Test
  void postgres_rolledBackChangeIsNotHeard() throws Exception {
    DataSource ds = withState(TestDatabases.Kind.POSTGRESQL);
    BlockingQueue<Long> heard = new LinkedBlockingQueue<>();
    try (VersionWatch other = new VersionWatch(ds, Duration.ofMillis(200))) {
      other.watch("evidence", QUERY, heard::add);
      assertThat(heard.poll(1, TimeUnit.SECONDS)).isEqualTo(7L);
      try (Connection c = ds.getConnection()) {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
          s.executeUpdate("UPDATE evidence_state SET version = 99 WHERE id = 1");
        }
        VersionWatch.announce(c, "evidence");
        c.rollback();
      }
      assertThat(heard.poll(700, TimeUnit.MILLISECONDS)).isNull();
    }
  }

  @Test
  void h2_pokeOrPollDeliversInProcess() throws Exception {
    DataSource ds = withState(TestDatabases.Kind.H2);
    BlockingQueue<Long> heard = new LinkedBlockingQueue<>();
    try (VersionWatch watch = new VersionWatch(ds, Duration.ofSeconds(30))) {
      watch.watch("evidence", QUERY, heard::add);
      assertThat(heard.poll(1, TimeUnit.SECONDS)).isEqualTo(7L);
      bump(ds, true); // announce is a no-op on H2; the poke is what this process does instead
      watch.poke();
      assertThat(heard.poll(1, TimeUnit.SECONDS)).isEqualTo(8L);
    }
  }
}
