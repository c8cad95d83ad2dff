package dev.airseal.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Runs every code path of {@code airseal bench log} at tiny sizes so that the command cannot rot.
 * Asserts on structure (everything completed, every proof verified), never on timings. The HTTP
 * part posts to this test's own service instead of a child process.
 */
@QuarkusTest
class LogBenchTest {
  @TestHTTPResource("/")
  URI base;

  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

  private LogBench bench(Path dir, boolean bulkViaStore) {
    var o =
        new LogBench.Options(
            dir,
            false,
            false,
            200,
            8,
            List.of(1, 4),
            true,
            20,
            4,
            List.of(HttpAppendBench.Client.JDK, HttpAppendBench.Client.URLCONNECTION),
            2,
            1,
            2_000,
            null,
            List.of(),
            false,
            List.of(5_000L),
            300,
            100,
            1_024,
            bulkViaStore,
            64,
            Duration.ofMillis(2),
            10_000,
            16,
            Duration.ofSeconds(1),
            null);
    return new LogBench(o, new PrintStream(printed, true, StandardCharsets.UTF_8));
  }

  private static Path tempDir() throws Exception {
    return Files.createTempDirectory(Path.of("target"), "bench-test-");
  }

  @Test
  void inProcess_integratesEveryEntryOfEveryRow() throws Exception {
    Path dir = tempDir();
    List<AppendBench.Result> rows = bench(dir, false).inProcess(dir.resolve("append"));
    assertThat(rows).hasSize(2);
    for (AppendBench.Result r : rows) {
      assertThat(r.entries()).isEqualTo(200);
      assertThat(r.latency().count()).isEqualTo(200);
      assertThat(r.batches()).isPositive();
    }
    // 40 warm-up entries, then two rows of 200: every append is in the tree.
    assertThat(rows.get(1).treeSize()).isEqualTo(440);
    LogBench.deleteTree(dir);
  }

  @Test
  void overHttp_everyProposalIsAcceptedWith201() {
    List<byte[]> proposals = new Proposals().signed(40);
    LogBench b = bench(Path.of("unused"), false);
    for (HttpAppendBench.Client c : List.of(HttpAppendBench.Client.JDK, HttpAppendBench.Client.URLCONNECTION)) {
      List<byte[]> slice =
          c == HttpAppendBench.Client.JDK ? proposals.subList(0, 20) : proposals.subList(20, 40);
      HttpAppendBench.Result r = b.overHttp(base, slice, c);
      assertThat(r.requests()).isEqualTo(20);
      assertThat(r.latency().count()).isEqualTo(20);
    }
  }

  @Test
  void wrk_countsOnly201sAndTheTreeGrewByThem() throws Exception {
    Assumptions.assumeTrue(WrkDriver.find().isPresent(), "wrk is not installed");
    Path dir = tempDir();
    List<byte[]> proposals = new Proposals().signed(6_000);
    WrkAppends.Result r =
        WrkAppends.run(WrkDriver.find().get(), "wrk", dir, base, proposals, 4, 1, ProcessHandle.current().pid(), false);
    assertThat(r.created()).isPositive();
    assertThat(r.treeGrowth()).isBetween(r.created(), r.created() + 4);
    assertThat(r.cpuMicrosPerAppend()).isPositive();
    LogBench.deleteTree(dir);
  }

  @Test
  void wrk_refusesARunThatRanOutOfProposals() throws Exception {
    Assumptions.assumeTrue(WrkDriver.find().isPresent(), "wrk is not installed");
    Path dir = tempDir();
    // Three proposals cannot last a second: reposting them would only draw 409s.
    List<byte[]> proposals = new Proposals().signed(3);
    assertThatThrownBy(() -> WrkAppends.run(
            WrkDriver.find().get(), "wrk", dir, base, proposals, 2, 1, ProcessHandle.current().pid(), false))
        .hasMessageContaining("were posted before");
    LogBench.deleteTree(dir);
  }

  @Test
  void wrk_warmUpMayRunOutOfProposals_andStillCountsItsAppends() throws Exception {
    Assumptions.assumeTrue(WrkDriver.find().isPresent(), "wrk is not installed");
    Path dir = tempDir();
    List<byte[]> proposals = new Proposals().signed(3);
    WrkAppends.Result r = WrkAppends.run(
        WrkDriver.find().get(), "warm-up", dir, base, proposals, 2, 1, ProcessHandle.current().pid(), true);
    // wrk may draw a first request it never sends, so not every proposal need be posted.
    assertThat(r.created()).isBetween(1L, 3L);
    assertThat(r.treeGrowth()).isEqualTo(r.created());
    LogBench.deleteTree(dir);
  }

  @Test
  void wrk_refusesDuplicates() throws Exception {
    Assumptions.assumeTrue(WrkDriver.find().isPresent(), "wrk is not installed");
    Path dir = tempDir();
    List<byte[]> once = new Proposals().signed(2_000);
    WrkAppends.run(WrkDriver.find().get(), "first", dir, base, once, 2, 1, ProcessHandle.current().pid(), false);
    // The same proposals again: each answer is a 409, none an append.
    assertThatThrownBy(() -> WrkAppends.run(
            WrkDriver.find().get(), "again", dir, base, once, 2, 1, ProcessHandle.current().pid(), false))
        .hasMessageMatching("(?s).*(answers were 409|were posted before).*");
    LogBench.deleteTree(dir);
  }

  @Test
  void proofs_verifyOnBulkLoadedTrees_directAndThroughTheStore() throws Exception {
    for (boolean viaStore : new boolean[] {false, true}) {
      Path dir = tempDir();
      List<ProofBench.Result> rs = bench(dir, viaStore).proofs();
      assertThat(rs).hasSize(1);
      ProofBench.Result r = rs.get(0);
      assertThat(r.size()).isEqualTo(5_000);
      // 300 timed proofs (of which the first 300 also form the cold sample), all verified.
      assertThat(r.verified()).isEqualTo(600);
      assertThat(r.dbBytes()).isPositive();
      assertThat(Files.exists(dir.resolve("proofs-5000"))).isFalse();
      LogBench.deleteTree(dir);
    }
  }

  @Test
  void run_printsTheSetUpAndOneFigureLinePerTarget() throws Exception {
    Path dir = tempDir();
    List<Figure> figures = bench(dir, false).run();
    String out = printed.toString(StandardCharsets.UTF_8);
    assertThat(figures).hasSize(2);
    assertThat(out).contains("cores", "batch size 64", "H2 file databases under", "Figures");
    assertThat(out.lines().filter(l -> l.endsWith("PASS") || l.endsWith("MISS"))).hasSize(2);
    assertThat(dir).doesNotExist();
  }
}
