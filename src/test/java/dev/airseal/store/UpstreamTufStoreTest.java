package dev.airseal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airseal.testing.TestDatabases;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The upstream TUF state (V10) moves with its import, by compare-and-swap, over each supported database. */
class UpstreamTufStoreTest {
  private static final String ANCHOR = "a".repeat(64);

  private static TransferImports.Record record(long sequence) {
    return new TransferImports.Record("factory", sequence, "sha256:" + String.format("%064x", sequence), null,
        "sha256:" + "f".repeat(64), "k", 1, "tester", 7, -1, 0, 0, "{}");
  }

  private static TransferImports.UpstreamTuf state(int root, long ts, long sequence) {
    return new TransferImports.UpstreamTuf(ANCHOR, root, "{\"signed\":{\"version\":" + root + "}}", ts, ts + 1,
        ts + 2, "factory", sequence, 1);
  }

  private static void commit(TransferImports t, long sequence, Optional<Long> head, TransferImports.TufChange c) {
    t.commit(record(sequence), head, new EvidenceBatch(), Optional.empty(), Optional.empty(), List.of(),
        Optional.of(c), "{}");
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void commit_storesAndMovesTheState_andWritesNothingWhenItMovedMeanwhile(TestDatabases.Kind kind) {
    DataSource ds = TestDatabases.create(kind);
    TransferImports t = new TransferImports(ds);
    assertThat(t.upstreamTuf(ANCHOR)).isEmpty();
    TransferImports.UpstreamTuf first = state(1, 10, 1);
    commit(t, 1, Optional.empty(), new TransferImports.TufChange(first, Optional.empty()));
    assertThat(t.upstreamTuf(ANCHOR)).contains(first);
    TransferImports.UpstreamTuf second = state(2, 11, 2);
    commit(t, 2, Optional.of(1L), new TransferImports.TufChange(second, Optional.of(first)));
    assertThat(t.upstreamTuf(ANCHOR)).contains(second);
    // Checked against the first state, which the site no longer holds: the whole import is undone.
    assertThatThrownBy(() -> commit(t, 3, Optional.of(2L), new TransferImports.TufChange(state(3, 12, 3),
        Optional.of(first)))).hasMessageContaining("moved the upstream TUF metadata meanwhile");
    assertThatThrownBy(() -> commit(t, 3, Optional.of(2L), new TransferImports.TufChange(state(3, 12, 3),
        Optional.empty()))).hasMessageContaining("stored upstream TUF metadata meanwhile");
    assertThat(t.upstreamTuf(ANCHOR)).contains(second);
    assertThat(t.head("factory").orElseThrow().sequence()).isEqualTo(2);
  }
}
