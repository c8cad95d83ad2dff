package dev.airseal.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airseal.log.sequencer.Appended;
import dev.airseal.log.sequencer.DuplicateEntryException;
import dev.airseal.log.sequencer.EntryDraft;
import dev.airseal.signing.Signer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import javax.sql.DataSource;
import dev.airseal.testing.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The log over each supported database: the same cases, the same results. */
class TransparencyLogTest {

  private static EntryDraft draft(int i) {
    return EntryDraft.of(
        "test", "0.0.1", ("entry-" + i).getBytes(StandardCharsets.UTF_8), List.of("k:" + (i % 7)));
  }

  /** The RFC's recursive definition, computed from the leaves: the reference our tiles must match. */
  private static byte[] naiveRoot(List<byte[]> leaves, int lo, int hi) {
    if (hi - lo == 0) {
      return Rfc6962.emptyRoot();
    }
    if (hi - lo == 1) {
      return leaves.get(lo);
    }
    int k = Integer.highestOneBit(hi - lo - 1);
    return Rfc6962.hashChildren(naiveRoot(leaves, lo, lo + k), naiveRoot(leaves, lo + k, hi));
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void append_givesProofsThatVerifyAndRootsThatMatchTheRfc(TestDatabases.Kind kind)
      throws Exception {
    DataSource ds = TestDatabases.create(kind);
    Signer signer = LogTestSupport.newSigner();
    List<byte[]> leaves = new ArrayList<>();
    List<TreeHead> heads = new ArrayList<>();
    try (TransparencyLog log = LogTestSupport.open(ds, signer, 37)) {
      List<CompletableFuture<Appended>> fs = new ArrayList<>();
      for (int i = 0; i < 70_000; i++) {
        if (i % 5_000 == 0 && i > 0) {
          fs.get(i - 1).join(); // keep within the queue bound
        }
        fs.add(log.append(draft(i)));
        leaves.add(Rfc6962.hashLeaf(("entry-" + i).getBytes(StandardCharsets.UTF_8)));
      }
      for (int i = 0; i < fs.size(); i++) {
        Appended a = fs.get(i).join();
        assertThat(a.entry().index()).isEqualTo(i);
        if (i % 997 == 0) {
          heads.add(a.head());
          List<byte[]> proof = a.tree().proofs().inclusion(i, a.tree().size());
          InclusionProof.verify(i, a.tree().size(), a.entry().leafHash(), proof, a.head().root());
        }
      }
      TreeSnapshot t = log.published().tree();
      assertThat(t.size()).isEqualTo(70_000);
      assertThat(Hex.encode(t.root())).isEqualTo(Hex.encode(naiveRoot(leaves, 0, leaves.size())));
      for (TreeHead h : heads) {
        assertThat(Hex.encode(t.proofs().root(h.size())))
            .isEqualTo(Hex.encode(naiveRoot(leaves, 0, (int) h.size())));
        ConsistencyProof.verify(
            h.size(), t.size(), t.proofs().consistency(h.size(), t.size()), h.root(), t.root());
      }
    }
    // Reopening restores the same tree from stored tiles and keeps growing it.
    try (TransparencyLog log = LogTestSupport.open(ds, signer, 37)) {
      TreeSnapshot t = log.published().tree();
      assertThat(t.size()).isEqualTo(70_000);
      assertThat(Hex.encode(t.root())).isEqualTo(Hex.encode(naiveRoot(leaves, 0, leaves.size())));
      Appended a = log.append(draft(70_000)).join();
      leaves.add(a.entry().leafHash());
      assertThat(Hex.encode(a.head().root()))
          .isEqualTo(Hex.encode(naiveRoot(leaves, 0, leaves.size())));
      assertThat(log.entry(12_345).orElseThrow().body())
          .isEqualTo("entry-12345".getBytes(StandardCharsets.UTF_8));
      assertThat(log.search("k:3", 5)).containsExactly(3L, 10L, 17L, 24L, 31L);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void lookups_findEntriesBeforeTheyAreFiled_andAfterACrashLostTheFiling(TestDatabases.Kind kind)
      throws Exception {
    DataSource ds = TestDatabases.create(kind);
    Signer signer = LogTestSupport.newSigner();
    // An hour-long interval: nothing is filed into the store while the test runs.
    TransparencyLog crashed = LogTestSupport.open(ds, signer, 16, java.time.Duration.ofHours(1));
    for (int i = 0; i < 100; i++) {
      crashed.append(draft(i)).join();
    }
    byte[] leaf42 = Rfc6962.hashLeaf("entry-42".getBytes(StandardCharsets.UTF_8));
    assertThat(crashed.entryByLeafHash(leaf42).orElseThrow().index()).isEqualTo(42);
    assertThat(crashed.search("k:5", 3)).containsExactly(5L, 12L, 19L);
    assertThat(crashed.store().indexedSize()).isZero();
    assertThatThrownBy(() -> crashed.append(draft(42)).join())
        .hasCauseInstanceOf(DuplicateEntryException.class);
    // No close(): as after SIGKILL, the filing never happened. A new log files the gap first.
    try (TransparencyLog log = LogTestSupport.open(ds, signer, 16)) {
      assertThat(log.store().indexedSize()).isEqualTo(100);
      assertThat(log.entryByLeafHash(leaf42).orElseThrow().index()).isEqualTo(42);
      assertThat(log.search("k:5", 3)).containsExactly(5L, 12L, 19L);
      assertThatThrownBy(() -> log.append(draft(7)).join())
          .hasCauseInstanceOf(DuplicateEntryException.class)
          .hasMessageContaining("index 7");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void append_refusesDuplicatesWithTheExistingIndex(TestDatabases.Kind kind)
      throws Exception {
    DataSource ds = TestDatabases.create(kind);
    try (TransparencyLog log = LogTestSupport.open(ds, LogTestSupport.newSigner(), 8)) {
      log.append(draft(1)).join();
      log.append(draft(2)).join();
      assertThatThrownBy(() -> log.append(draft(2)).join())
          .isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(DuplicateEntryException.class)
          .hasMessageContaining("index 1");
      // Two copies in one batch: the first wins, the second is told where it is.
      var a = log.append(draft(3));
      var b = log.append(draft(3));
      assertThat(a.join().entry().index()).isEqualTo(2);
      assertThatThrownBy(b::join).hasCauseInstanceOf(DuplicateEntryException.class);
      assertThat(log.published().tree().size()).isEqualTo(3);
    }
  }
}
