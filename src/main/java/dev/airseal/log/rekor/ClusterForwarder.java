package dev.airseal.log.rekor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.log.TransparencyLog;
import dev.airseal.log.sequencer.DuplicateEntryException;
import dev.airseal.log.sequencer.EntryDraft;
import dev.airseal.log.sequencer.LogOverloadedException;
import dev.airseal.store.LeaderRecord;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * A follower's appends, handed to the leader's {@code /internal/cluster/append}. An append whose
 * fate is unknown (the leader died with it in flight) is sent again to the next leader; if that
 * one already holds it, the earlier attempt was committed and the caller gets that entry: an
 * acknowledged entry is never lost, and a retried one never appears twice.
 */
final class ClusterForwarder implements TransparencyLog.Forwarder, AutoCloseable {
  static final String PATH = "/internal/cluster/append";
  static final String SECRET_HEADER = "X-Airseal-Forward-Secret";
  private static final Logger LOG = Logger.getLogger(ClusterForwarder.class);

  /** Who leads, as last read; {@code stale()} makes the next {@code get()} read it again. */
  interface Leaders {
    Optional<LeaderRecord.Leader> get();

    void stale();
  }

  private final Leaders leader;
  private final Duration timeout;
  private final Duration retryPause;
  private final ObjectMapper json;
  private final HttpClient http;
  private final ExecutorService pool;

  ClusterForwarder(
      Leaders leader,
      Duration timeout,
      Duration retryPause,
      ObjectMapper json) {
    this.leader = leader;
    this.timeout = timeout;
    this.retryPause = retryPause;
    this.json = json;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    // Each forwarded append waits on the leader's batch: threads, not CPU, are what it holds.
    this.pool =
        new ThreadPoolExecutor(
            256, 256, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
              Thread t = new Thread(r, "airseal-forward");
              t.setDaemon(true);
              return t;
            });
    ((ThreadPoolExecutor) pool).allowCoreThreadTimeOut(true);
  }

  @Override
  public CompletableFuture<Long> forward(EntryDraft draft) {
    return CompletableFuture.supplyAsync(() -> send(draft), pool);
  }

  private long send(EntryDraft draft) {
    byte[] request = body(draft);
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean maybeCommitted = false;
    String lastProblem = "no replica has led yet";
    while (System.nanoTime() < deadline) {
      Optional<LeaderRecord.Leader> l = leader.get();
      if (l.isPresent()) {
        try {
          HttpResponse<String> r =
              http.send(
                  HttpRequest.newBuilder(URI.create(l.get().url() + PATH))
                      .timeout(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))
                      .header("Content-Type", "application/json")
                      .header(SECRET_HEADER, l.get().forwardSecret())
                      .POST(HttpRequest.BodyPublishers.ofByteArray(request))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200) {
            return json.readTree(r.body()).path("index").asLong();
          }
          if (r.statusCode() == 409) {
            long idx = json.readTree(r.body()).path("index").asLong();
            if (maybeCommitted) {
              return idx; // our own earlier attempt, committed before the leader died
            }
            throw new DuplicateEntryException(idx);
          }
          if (r.statusCode() != 503 && r.statusCode() != 403) {
            throw new IllegalStateException(
                "the leader " + l.get() + " answered " + r.statusCode() + ": " + r.body());
          }
          // 503: that replica no longer (or not yet) leads; 403: its secret changed with the term.
          lastProblem = l.get() + " answered " + r.statusCode();
        } catch (IOException e) {
          // Sent, perhaps received, perhaps committed: only the log can tell us now.
          maybeCommitted = true;
          lastProblem = l.get() + " unreachable: " + e.getMessage();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new LogOverloadedException("interrupted while forwarding to the leader");
        }
      }
      leader.stale();
      pause();
    }
    LOG.warnf("append not forwarded within %s: %s", timeout, lastProblem);
    throw new LogOverloadedException(
        "no leader took the append within " + timeout + " (" + lastProblem + "); retry later");
  }

  private void pause() {
    try {
      Thread.sleep(retryPause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LogOverloadedException("interrupted while waiting for a leader");
    }
  }

  private byte[] body(EntryDraft d) {
    ObjectNode n = json.createObjectNode();
    n.put("kind", d.kind());
    n.put("apiVersion", d.apiVersion());
    n.put("body", Base64.getEncoder().encodeToString(d.body()));
    var keys = n.putArray("indexKeys");
    d.indexKeys().forEach(keys::add);
    try {
      return json.writeValueAsBytes(n);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The draft a follower sent, as the leader reads it. */
  static EntryDraft draft(JsonNode n) {
    java.util.List<String> keys = new java.util.ArrayList<>();
    n.path("indexKeys").forEach(k -> keys.add(k.asText()));
    String kind = n.path("kind").asText("");
    String apiVersion = n.path("apiVersion").asText("");
    if (kind.isEmpty() || apiVersion.isEmpty() || !n.path("body").isTextual()) {
      throw new IllegalArgumentException("a forwarded append needs kind, apiVersion and body");
    }
    return EntryDraft.of(kind, apiVersion, Base64.getDecoder().decode(n.path("body").asText()), keys);
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
