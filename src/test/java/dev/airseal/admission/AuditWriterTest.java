package dev.airseal.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.store.AuditEvent;
import dev.airseal.store.AuditPacks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The batched admission audit: every decision queued lands in the sink once, with its detail as JSON, whether it went through the queue, past a full queue, or through database failures.
 */
class AuditWriterTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static AuditPacks.Event decision(int i) {
    ObjectNode detail = JSON.createObjectNode().put("uid", "uid-" + i);
    detail.putArray("images").addObject().put("image", "registry.site/app:" + i).put("evidenceVersion", i);
    return new AuditPacks.Event(1_000L + i, AdmissionService.AUDIT_KIND, "user", "default/pod-" + i + " Pod", "allow",
        detail);
  }

  // What the database would read back: the packs' events.
  private static AuditWriter.Sink into(List<AuditEvent> written) {
    return packs -> packs.forEach(p -> written.addAll(p.read(0)));
  }

  @Test
  void everyQueuedDecision_isWrittenOnce_withItsDetailAsJson() throws Exception {
    List<AuditEvent> written = Collections.synchronizedList(new ArrayList<>());
    AuditWriter w = new AuditWriter(into(written), 16, Duration.ofMillis(20));
    int n = 500;
    for (int i = 0; i < n; i++) {
      // A queue of 16 fills up: offer refuses, append writes synchronously; none is lost.
      if (!w.offer(decision(i))) {
        w.append(decision(i));
      }
    }
    w.close();
    assertThat(written).hasSize(n);
    assertThat(written).extracting(AuditEvent::subject).doesNotHaveDuplicates();
    for (AuditEvent e : written) {
      int i = Integer.parseInt(e.subject().substring("default/pod-".length(), e.subject().indexOf(' ')));
      assertThat(e.kind()).isEqualTo(AdmissionService.AUDIT_KIND);
      assertThat(e.at()).isEqualTo(1_000L + i);
      assertThat(JSON.readTree(e.detail())).isEqualTo(decision(i).detail());
    }
  }

  @Test
  void aFailingDatabase_isRetried_untilItTakesTheBatch() throws Exception {
    List<AuditEvent> written = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger calls = new AtomicInteger();
    AuditWriter w = new AuditWriter(events -> {
      if (calls.incrementAndGet() <= 2) {
        throw new java.sql.SQLException("database unavailable");
      }
      into(written).write(events);
    }, 1024, Duration.ofMillis(10));
    for (int i = 0; i < 10; i++) {
      assertThat(w.offer(decision(i))).isTrue();
    }
    w.close();
    assertThat(written).hasSize(10);
    assertThat(w.failures.sum()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void aLoneDecision_isWrittenWithoutWaitingForABatchToFill() throws Exception {
    List<AuditEvent> written = Collections.synchronizedList(new ArrayList<>());
    AuditWriter w = new AuditWriter(into(written), 1024, Duration.ofMillis(50));
    try {
      assertThat(w.offer(decision(1))).isTrue();
      // The documented window is 50 ms; allow a loaded machine its scheduling delays.
      long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
      while (written.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(written).hasSize(1);
    } finally {
      w.close();
    }
  }

  @Test
  void close_drainsTheQueue_andLaterDecisionsAreWrittenByTheirRequest() throws Exception {
    List<AuditEvent> written = Collections.synchronizedList(new ArrayList<>());
    AuditWriter w = new AuditWriter(into(written), 4096, Duration.ofMillis(50));
    for (int i = 0; i < 1000; i++) {
      assertThat(w.offer(decision(i))).isTrue();
    }
    w.close();
    assertThat(written).hasSize(1000);
    assertThat(w.offer(decision(1000))).isFalse();
    w.append(decision(1000));
    assertThat(written).hasSize(1001);
  }
}
