package dev.airseal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airseal.testing.TestDatabases;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Upstream checkpoints move with their import, by compare-and-swap, over each supported database. */
class UpstreamCheckpointStoreTest {
  private static final String ORIGIN = "rekor.example - 42";

  private static TransferImports.Record record(long sequence) {
    return new TransferImports.Record("factory", sequence, "sha256:" + String.format("%064x", sequence), null,
        "sha256:" + "f".repeat(64), "k", 1, "tester", 7, -1, 0, 0, "{}");
  }

  private static TransferImports.UpstreamChange change(long size, Optional<Long> expected, long sequence) {
    return new TransferImports.UpstreamChange(new TransferImports.UpstreamCheckpoint(ORIGIN, size,
        String.format("%064x", size), "note " + size, "https://rekor.example", "factory", sequence, 1), expected);
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void commit_storesAndMovesTheCheckpointWithTheImport(TestDatabases.Kind kind) {
    DataSource ds = TestDatabases.create(kind);
    TransferImports t = new TransferImports(ds);
    t.commit(record(1), Optional.empty(), new EvidenceBatch(), Optional.empty(), Optional.empty(),
        List.of(change(10, Optional.empty(), 1)), "{}");
    assertThat(t.upstreamCheckpoint(ORIGIN)).get().extracting(TransferImports.UpstreamCheckpoint::treeSize)
        .isEqualTo(10L);
    t.commit(record(2), Optional.of(1L), new EvidenceBatch(), Optional.empty(), Optional.empty(),
        List.of(change(25, Optional.of(10L), 2)), "{}");
    TransferImports.UpstreamCheckpoint now = t.upstreamCheckpoint(ORIGIN).orElseThrow();
    assertThat(now.treeSize()).isEqualTo(25);
    assertThat(now.checkpoint()).isEqualTo("note 25");
    assertThat(now.sequence()).isEqualTo(2);
    assertThat(t.upstreamCheckpoints()).hasSize(1);
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void commit_writesNothingWhenTheCheckpointMovedMeanwhile(TestDatabases.Kind kind) {
    DataSource ds = TestDatabases.create(kind);
    TransferImports t = new TransferImports(ds);
    t.commit(record(1), Optional.empty(), new EvidenceBatch(), Optional.empty(), Optional.empty(),
        List.of(change(10, Optional.empty(), 1)), "{}");
    // Checked against size 9, which the site no longer holds: the whole import is undone.
    assertThatThrownBy(() -> t.commit(record(2), Optional.of(1L), new EvidenceBatch(), Optional.empty(),
        Optional.empty(), List.of(change(25, Optional.of(9L), 2)), "{}"))
        .hasMessageContaining("moved the checkpoint of upstream log \"" + ORIGIN + "\" meanwhile");
    assertThatThrownBy(() -> t.commit(record(2), Optional.of(1L), new EvidenceBatch(), Optional.empty(),
        Optional.empty(), List.of(change(25, Optional.empty(), 2)), "{}"))
        .hasMessageContaining("stored a checkpoint of upstream log");
    assertThat(t.upstreamCheckpoint(ORIGIN).orElseThrow().treeSize()).isEqualTo(10);
    assertThat(t.head("factory").orElseThrow().sequence()).isEqualTo(1);
    assertThat(t.get("factory", 2)).isEmpty();
  }
}
