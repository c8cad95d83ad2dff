package dev.airseal.log.rekor;

import dev.airseal.log.TransparencyLog;
import dev.airseal.store.LeaderLock;
import dev.airseal.store.LeaderRecord;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * One replica of a log that several replicas share on PostgreSQL. Exactly one sequences: the holder
 * of the {@link LeaderLock}. The others follow (re-read the stored tree head, serve reads from it)
 * and forward appends; each try for the lock every election interval, so when the leader's session
 * ends one of them takes over, reopening the log from what the dead leader committed.
 *
 * <p>A leader that can no longer prove it holds the lock stops sequencing at once. Even if two
 * replicas believed they led, the compare-and-swap on the tree head lets only one of them commit
 * on any given tree: the log can stall, never fork.
 */
final class LogReplica implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(LogReplica.class);

  /** What the replica needs from the service: how to open the log either way, where to publish. */
  interface Logs {
    TransparencyLog openLeader();

    Optional<TransparencyLog> openFollower(TransparencyLog.Forwarder forwarder);

    void publish(TransparencyLog log);
  }

  private final String replica;
  private final String url;
  private final LeaderLock lock;
  private final LeaderRecord record;
  private final Logs logs;
  private final Duration electionInterval;
  private final Duration followInterval;
  private final ClusterForwarder forwarder;
  private final Thread thread;
  private volatile TransparencyLog current;
  private volatile boolean leading;
  private volatile byte[] secret = new byte[0];
  private volatile boolean running = true;
  // The leadership term this replica last saw: its own while it leads, else the recorded leader's.
  private volatile long term;
  private volatile Optional<LeaderRecord.Leader> knownLeader = Optional.empty();

  LogReplica(
      String replica,
      String url,
      LeaderLock lock,
      LeaderRecord record,
      Logs logs,
      Duration electionInterval,
      Duration followInterval,
      Duration forwardTimeout,
      com.fasterxml.jackson.databind.ObjectMapper json) {
    this.replica = replica;
    this.url = url;
    this.lock = lock;
    this.record = record;
    this.logs = logs;
    this.electionInterval = electionInterval;
    this.followInterval = followInterval;
    this.forwarder =
        new ClusterForwarder(
            new ClusterForwarder.Leaders() {
              @Override
              public Optional<LeaderRecord.Leader> get() {
                Optional<LeaderRecord.Leader> l = knownLeader;
                if (l.isEmpty()) {
                  l = record.current();
                  knownLeader = l;
                }
                return l;
              }

              @Override
              public void stale() {
                knownLeader = Optional.empty();
              }
            },
            forwardTimeout,
            followInterval,
            json);
    this.thread = new Thread(this::run, "airseal-replica");
    this.thread.setDaemon(true);
  }

  /** Runs the first election now (so the service starts as leader or follower), then keeps on. */
  void start(Duration waitForTree) {
    long deadline = System.nanoTime() + waitForTree.toNanos();
    step();
    while (current == null && System.nanoTime() < deadline) {
      sleep(followInterval);
      step();
    }
    if (current == null) {
      throw new IllegalStateException(
          "no tree in the shared database after " + waitForTree
              + " and the sequencer lock is held by another session that never created one");
    }
    thread.start();
  }

  private void run() {
    long nextElection = 0;
    while (running) {
      try {
        if (leading || System.nanoTime() >= nextElection) {
          step();
          nextElection = System.nanoTime() + electionInterval.toNanos();
        } else if (current != null) {
          current.refresh();
        }
      } catch (RuntimeException e) {
        LOG.warnf("replica %s: %s", replica, e.toString());
      }
      sleep(leading ? electionInterval : followInterval);
    }
  }

  private synchronized void step() {
    if (!running) {
      return;
    }
    if (leading) {
      if (!lock.held()) {
        LOG.errorf("replica %s lost the sequencer lock: it stops sequencing and follows", replica);
        demote();
      }
      return;
    }
    boolean won;
    try {
      won = lock.tryAcquire();
    } catch (IllegalStateException e) {
      LOG.warnf("replica %s cannot try the sequencer lock: %s", replica, e.getMessage());
      won = false;
    }
    if (won) {
      promote();
    } else {
      follow();
      observeTerm();
    }
  }

  // One short read per election interval, so a follower's metrics show the term it follows.
  private void observeTerm() {
    try {
      record.current().ifPresent(l -> term = l.term());
    } catch (IllegalStateException e) {
      LOG.debugf("replica %s cannot read the leader record: %s", replica, e.getMessage());
    }
  }

  private void promote() {
    TransparencyLog previous = current;
    TransparencyLog log;
    try {
      log = logs.openLeader();
    } catch (RuntimeException e) {
      lock.close();
      throw e;
    }
    byte[] s = new byte[32];
    new SecureRandom().nextBytes(s);
    secret = HexFormat.of().formatHex(s).getBytes(StandardCharsets.US_ASCII);
    current = log;
    leading = true;
    logs.publish(log);
    long term = record.claim(replica, url, new String(secret, StandardCharsets.US_ASCII), System.currentTimeMillis());
    this.term = term;
    knownLeader = Optional.empty();
    if (previous != null) {
      previous.close();
    }
    LOG.infof(
        "replica %s leads the log (term %d) from size %d", replica, term, log.published().tree().size());
  }

  private void demote() {
    leading = false;
    TransparencyLog previous = current;
    if (previous != null) {
      previous.close();
    }
    current = null;
    follow();
  }

  private void follow() {
    if (current == null) {
      Optional<TransparencyLog> f = logs.openFollower(forwarder);
      if (f.isEmpty()) {
        return;
      }
      current = f.get();
      logs.publish(current);
      LOG.infof("replica %s follows the log at size %d", replica, current.published().tree().size());
    } else {
      current.refresh();
    }
  }

  boolean leading() {
    return leading;
  }

  /** The term this replica leads in, or the term of the leader it last saw (0 before any). */
  long term() {
    return term;
  }

  /** Whether a forwarded append carries this leadership's secret (constant time). */
  boolean forwardedWith(String presented) {
    return leading
        && presented != null
        && MessageDigest.isEqual(presented.getBytes(StandardCharsets.US_ASCII), secret);
  }

  String replica() {
    return replica;
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(Math.max(1, d.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      running = false;
    }
    // Not interrupted: it may be inside JDBC; it sees running=false within one interval.
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    TransparencyLog l = current;
    if (l != null) {
      l.close(); // a leader drains its queue before giving up the lock
    }
    lock.close();
    forwarder.close();
  }
}
