package dev.airseal.cli;

import dev.airseal.bench.Figure;
import dev.airseal.bench.HttpAppendBench;
import dev.airseal.bench.LogBench;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "bench",
    description = "Measure this machine: print figures with their set-up and targets.",
    subcommands = {BenchCommand.Log.class})
public class BenchCommand {

  @Command(
      name = "log",
      description = {
        "Durable appends/s in-process and over HTTP, and inclusion-proof latency on large trees.",
        "Runs in temporary H2 databases and a child service process; touches no existing data.",
        "Exit status 0 if every figure meets its target, 3 if one misses."
      })
  static class Log implements Callable<Integer> {
    /** Exit status when the run completed but a figure missed its target. */
    static final int MISSED_TARGET = 3;

    @Option(names = "--entries", defaultValue = "50000", description = "In-process appends per row (default: ${DEFAULT-VALUE}).")
    int entries;

    @Option(names = "--threads", defaultValue = "64", description = "In-process submitter threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--windows", split = ",", defaultValue = "1,16", description = "Appends each submitter keeps outstanding, one row each (default: ${DEFAULT-VALUE}).")
    List<Integer> windows;

    @Option(names = "--http-entries", defaultValue = "10000", description = "HTTP appends per client row (default: ${DEFAULT-VALUE}).")
    int httpEntries;

    @Option(names = "--clients", defaultValue = "64", description = "Concurrent HTTP clients (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--http-client", split = ",", defaultValue = "jdk,urlconnection", description = "HTTP client implementations, one row each: jdk, urlconnection (default: ${DEFAULT-VALUE}).")
    List<String> httpClients;

    @Option(names = "--jar", description = "quarkus-run.jar to start for the HTTP figure (default: this one).")
    Path jar;

    @Option(names = "--service-jvm-option", description = "Extra JVM option for the service process, repeatable (e.g. -XX:StartFlightRecording=filename=s.jfr).")
    List<String> serviceJvmOptions = List.of();

    @Option(names = "--sizes", split = ",", defaultValue = "1000000", description = "Tree sizes for proof latency (default: ${DEFAULT-VALUE}; 10000000 takes minutes).")
    List<Long> sizes;

    @Option(names = "--proofs", defaultValue = "20000", description = "Timed inclusion proofs per size (default: ${DEFAULT-VALUE}).")
    int proofs;

    @Option(names = "--proof-warmup", defaultValue = "20000", description = "Untimed proofs before timing (default: ${DEFAULT-VALUE}).")
    int proofWarmup;

    @Option(names = "--bulk-batch", defaultValue = "65536", description = "Leaves per commit when bulk-loading (default: ${DEFAULT-VALUE}).")
    int bulkBatch;

    @Option(names = "--bulk-via-store", description = "Bulk-load through JdbcLogStore.commit (leaf index, sync per batch) instead of direct inserts; much slower.")
    boolean bulkViaStore;

    @Option(names = "--batch-size", defaultValue = "1024", description = "Sequencer batch size, as airseal.log.batch-size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--batch-delay-ms", defaultValue = "5", description = "Sequencer batch max delay in ms (default: ${DEFAULT-VALUE}).")
    long batchDelayMs;

    @Option(names = "--max-pending", defaultValue = "65536", description = "Sequencer queue bound (default: ${DEFAULT-VALUE}).")
    int maxPending;

    @Option(names = "--tile-cache", defaultValue = "4096", description = "Tiles cached in memory (default: ${DEFAULT-VALUE}).")
    int tileCache;

    @Option(names = "--skip-append", description = "Skip the in-process append figure.")
    boolean skipAppend;

    @Option(names = "--skip-http", description = "Skip the HTTP figure.")
    boolean skipHttp;

    @Option(names = "--skip-proofs", description = "Skip the proof-latency figures.")
    boolean skipProofs;

    @Option(names = "--dir", description = "Directory for the databases (default: a new temporary directory).")
    Path dir;

    @Option(names = "--keep", description = "Keep the databases afterwards.")
    boolean keep;

    @Override
    public Integer call() throws Exception {
      Path d = dir != null ? dir : Files.createTempDirectory("airseal-bench-");
      var options =
          new LogBench.Options(
              d,
              keep,
              skipAppend,
              entries,
              threads,
              windows,
              skipHttp,
              httpEntries,
              clients,
              httpClients.stream().map(HttpAppendBench.Client::parse).toList(),
              jar,
              serviceJvmOptions,
              skipProofs,
              sizes,
              proofs,
              proofWarmup,
              bulkBatch,
              bulkViaStore,
              batchSize,
              Duration.ofMillis(batchDelayMs),
              maxPending,
              tileCache);
      List<Figure> figures = new LogBench(options, System.out).run();
      return figures.stream().allMatch(Figure::met) ? 0 : MISSED_TARGET;
    }
  }
}
