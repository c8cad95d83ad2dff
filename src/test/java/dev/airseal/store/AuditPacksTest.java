package dev.airseal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.testing.TestDatabases;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Packed audit events over each supported database, read back beside row events. */
class AuditPacksTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static AuditPacks.Event decision(long at, int i) {
    ObjectNode detail = JSON.createObjectNode().put("uid", "uid-" + i).put("quote", "a \"b\"\nc");
    detail.putArray("images").addObject().put("image", "registry.site/app:" + i);
    return new AuditPacks.Event(at, "admission.decision", "system:sa", "default/pod-" + i + " Pod",
        i % 2 == 0 ? "allow" : "deny", detail);
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void packedEvents_readBackNewestFirst_withTheirDetail_besideRowEvents(TestDatabases.Kind kind) throws Exception {
    DataSource ds = TestDatabases.create(kind);
    AuditLog audit = new AuditLog(ds);
    audit.append("bundle.import", "operator", "site/1", "imported", "{}");
    // 30 packs of 7: more packs than one read takes, so reading pages through them.
    long later = System.currentTimeMillis() + 1;
    int n = 0;
    for (int p = 0; p < 30; p++) {
      List<AuditPacks.Event> pack = new ArrayList<>();
      for (int i = 0; i < 7; i++, n++) {
        pack.add(decision(later + n, n));
      }
      AuditPacks.append(ds, AuditPacks.pack(pack));
    }
    List<AuditEvent> recent = audit.recent("admission.decision", 100);
    assertThat(recent).hasSize(100);
    assertThat(recent.get(0).subject()).isEqualTo("default/pod-" + (n - 1) + " Pod");
    assertThat(recent.get(99).subject()).isEqualTo("default/pod-" + (n - 100) + " Pod");
    assertThat(recent).extracting(AuditEvent::at).isSortedAccordingTo((a, b) -> Long.compare(b, a));
    assertThat(recent).extracting(AuditEvent::id).doesNotHaveDuplicates().allMatch(id -> id.matches("\\d+\\.[1-7]"));
    AuditEvent newest = recent.get(0);
    assertThat(newest.kind()).isEqualTo("admission.decision");
    assertThat(newest.actor()).isEqualTo("system:sa");
    assertThat(newest.outcome()).isEqualTo(decision(0, n - 1).outcome());
    assertThat(JSON.readTree(newest.detail())).isEqualTo(decision(0, n - 1).detail());
    assertThat(audit.recent("admission.decision", 1000)).hasSize(n);
    // All kinds: the row event is the oldest of all.
    List<AuditEvent> all = audit.recent(null, 1000);
    assertThat(all).hasSize(n + 1);
    assertThat(all.get(n).kind()).isEqualTo("bundle.import");
    assertThat(audit.recent("bundle.import", 10)).singleElement().extracting(AuditEvent::subject).isEqualTo("site/1");
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void aBatchTheDatabaseRefuses_leavesNoPackBehind(TestDatabases.Kind kind) throws Exception {
    DataSource ds = TestDatabases.create(kind);
    // Two kinds make two rows in one transaction; the second's kind is too long for its column.
    List<AuditPacks.Event> batch = List.of(decision(1, 1),
        new AuditPacks.Event(2, "k".repeat(65), "a", "s", "allow", JSON.createObjectNode()));
    assertThatThrownBy(() -> AuditPacks.append(ds, AuditPacks.pack(batch))).isInstanceOf(java.sql.SQLException.class);
    assertThat(new AuditLog(ds).recent(null, 10)).isEmpty();
  }
}
