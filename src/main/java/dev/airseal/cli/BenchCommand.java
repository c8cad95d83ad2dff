package dev.airseal.cli;

import dev.airseal.bench.Figure;
import dev.airseal.bench.HttpAppendBench;
import dev.airseal.bench.LogBench;
import dev.airseal.bench.SignBench;
import dev.airseal.bench.SoftHsmToken;
import dev.airseal.bench.VerifyBench;
import dev.airseal.signing.SignatureAlgorithm;
import dev.airseal.signing.Signer;
import dev.airseal.signing.Signers;
import dev.airseal.signing.soft.KeyGeneration;
import dev.airseal.signing.soft.SoftwareSigner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

@Command(
    name = "bench",
    description = "Measure this machine: print figures with their set-up and targets.",
    subcommands = {
      BenchCommand.Log.class,
      BenchCommand.Sign.class,
      BenchCommand.Verify.class,
      BenchCommand.Ha.class,
      BenchCommand.Admission.class,
      BenchCommand.Bundle.class
    })
public class BenchCommand {
  /** Where {@code --softhsm} makes its key, in its throwaway token. */
  static final String SOFTHSM_OBJECT = "bench-p256";

  /**
   * This subcommand's arguments as given, less {@code drop}, plus {@code extra}: what the child JVM
   * of {@code --softhsm} runs.
   */
  static List<String> rerunArgs(CommandSpec spec, List<String> drop, List<String> extra) {
    List<String> args = new ArrayList<>(List.of("bench", spec.name()));
    ParseResult pr = spec.commandLine().getParseResult();
    // matchedOptions() lists a repeated option once per occurrence; its values hold them all.
    for (OptionSpec o : pr.matchedOptions().stream().distinct().toList()) {
      if (drop.contains(o.longestName())) {
        continue;
      }
      if (o.arity().max() == 0) {
        args.add(o.longestName());
      } else {
        for (String v : o.originalStringValues()) {
          args.add(o.longestName());
          args.add(v);
        }
      }
    }
    args.addAll(extra);
    return args;
  }

  @Command(
      name = "sign",
      description = {
        "Signatures/s and p50/p99 latency per key, for 1 thread and for N threads.",
        "Without --key: generated software P-256, P-384 and RSA-2048 keys.",
        "Each key signs once, and its signature is verified, before it is timed.",
        "",
        "--key takes any key reference: a PEM or cosign key file,",
        "pkcs11:token=T;object=O?module-path=M, or awskms://... . A KMS, or any",
        "endpoint speaking its JSON 1.1 protocol, is benched with:",
        "  AWS_REGION=eu-west-1 airseal bench sign --key awskms:///alias/x",
        "  AIRSEAL_KMS_ALLOW_HTTP=true AWS_REGION=us-east-1 \\",
        "    AWS_ACCESS_KEY_ID=... AWS_SECRET_ACCESS_KEY=... \\",
        "    airseal bench sign --key awskms://HOST:PORT/alias/x --threads 1,8",
        "(plain http only with AIRSEAL_KMS_ALLOW_HTTP=true). Each KMS signature is",
        "one round trip: more threads than cores helps a remote key.",
        "",
        "--softhsm adds a P-256 key made in a temporary SoftHSM2 token; the bench",
        "then runs again in a child JVM with SOFTHSM2_CONF set."
      })
  static class Sign implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--key", description = "Key reference to bench, repeatable (default: generated software keys).")
    List<String> keys = new ArrayList<>();

    @Option(names = "--threads", split = ",", description = "Signing threads, one row each (default: 1,<cores>).")
    List<Integer> threads;

    @Option(names = "--seconds", defaultValue = "5", description = "Timed seconds per row (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--warmup-seconds", defaultValue = "2", description = "Untimed seconds per key first (default: ${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Option(names = "--message-bytes", defaultValue = "1024", description = "Message size (default: ${DEFAULT-VALUE}).")
    int messageBytes;

    @Option(names = "--softhsm", description = "Also bench a P-256 key in a temporary SoftHSM2 token.")
    boolean softhsm;

    @Option(names = "--softhsm-module", defaultValue = SoftHsmToken.DEFAULT_MODULE, description = "SoftHSM2 PKCS#11 module (default: ${DEFAULT-VALUE}).")
    String softhsmModule;

    // Set by --softhsm for its child JVM: make a P-256 key here, then bench it.
    @Option(names = "--generate-key", hidden = true)
    List<String> generate = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      if (softhsm) {
        try (SoftHsmToken token = SoftHsmToken.create(softhsmModule)) {
          return token.rerun(
              rerunArgs(spec, List.of("--softhsm"), List.of("--generate-key", token.uri(SOFTHSM_OBJECT))));
        }
      }
      List<Integer> t =
          threads != null
              ? threads
              : List.of(1, Runtime.getRuntime().availableProcessors()).stream().distinct().toList();
      SignBench bench =
          new SignBench(
              new SignBench.Options(
                  t,
                  Duration.ofMillis(Math.round(warmupSeconds * 1000)),
                  Duration.ofMillis(Math.round(seconds * 1000)),
                  messageBytes),
              System.out);
      bench.describeSetUp();
      if (keys.isEmpty()) {
        for (SignatureAlgorithm a :
            List.of(
                SignatureAlgorithm.PKIX_ECDSA_P256_SHA_256,
                SignatureAlgorithm.PKIX_ECDSA_P384_SHA_384,
                SignatureAlgorithm.PKIX_RSA_PKCS1V15_2048_SHA256)) {
          bench.run(
              new SignBench.Key(
                  "software (generated, BouncyCastle)",
                  new SoftwareSigner(KeyGeneration.generate(a), a)));
        }
      }
      List<String> refs = new ArrayList<>(keys);
      for (String g : generate) {
        Signers.generate(g, SignatureAlgorithm.PKIX_ECDSA_P256_SHA_256);
        refs.add(g);
      }
      for (String ref : refs) {
        Signer signer = Signers.fromUri(ref);
        try {
          bench.run(new SignBench.Key(Signers.redact(ref), signer));
        } finally {
          if (signer instanceof AutoCloseable c) {
            c.close();
          }
        }
      }
      return 0;
    }
  }

  @Command(
      name = "verify",
      description = {
        "Full offline bundle verifications/s: trusted root parsed per verification (cold) and",
        "once (warm), 1 thread and N; beside it the raw P-256/P-384 verify rates of the ECDSA engine in use.",
        "Bundles: sigstore-conformance keyless happy paths, production trusted root.",
        "sigstore-java side by side: mvn -o test -Dtest=VerifyBenchVsSigstoreJava -Dbench.verify=true",
        "Exit status 0 if every figure meets its target, 3 if one misses."
      })
  static class Verify implements Callable<Integer> {
    @Option(names = "--vectors", defaultValue = "../shared/vectors", description = "Directory holding sigstore-conformance/ and sigstore-public-good-trust/ (default: ${DEFAULT-VALUE}).")
    Path vectors;

    @Option(names = "--bundle", description = "Conformance case to verify, repeatable (default: the keyless happy paths).")
    List<String> bundles;

    @Option(names = "--threads", split = ",", description = "Threads, one row each (default: 1,<cores>).")
    List<Integer> threads;

    @Option(names = "--seconds", defaultValue = "5", description = "Timed seconds per row (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--warmup-seconds", defaultValue = "2", description = "Untimed seconds per row first (default: ${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Override
    public Integer call() throws Exception {
      List<Integer> t =
          threads != null
              ? threads
              : List.of(1, Runtime.getRuntime().availableProcessors()).stream().distinct().toList();
      VerifyBench bench =
          new VerifyBench(
              new VerifyBench.Options(
                  t, Duration.ofMillis(Math.round(warmupSeconds * 1000)), Duration.ofMillis(Math.round(seconds * 1000))),
              System.out);
      List<VerifyBench.Case> cases =
          VerifyBench.conformanceCases(
              vectors.resolve("sigstore-conformance/assets/bundle-verify"),
              bundles != null ? bundles : VerifyBench.CONFORMANCE_KEYLESS,
              vectors.resolve("sigstore-public-good-trust/production/trusted_root.json"),
              java.time.Instant.now());
      bench.describeSetUp(cases);
      VerifyBench.Report report = bench.report();
      report.airseal(bench.airseal(cases));
      report.raw256(bench.rawVerify("secp256r1", "SHA256withECDSA", false));
      report.raw256Fresh(bench.rawVerify("secp256r1", "SHA256withECDSA", true));
      report.raw384(bench.rawVerify("secp384r1", "SHA384withECDSA", false));
      return report.print().stream().allMatch(Figure::met) ? 0 : Log.MISSED_TARGET;
    }
  }

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

    @Option(names = "--http-client", split = ",", defaultValue = "wrk,urlconnection", description = "HTTP clients, one row each: wrk (Debian package wrk; the figure when given), jdk, urlconnection (JVM clients on the service's cores) (default: ${DEFAULT-VALUE}).")
    List<String> httpClients;

    @Option(names = "--wrk-seconds", defaultValue = "10", description = "Length of the wrk HTTP row in seconds (default: ${DEFAULT-VALUE}).")
    double wrkSeconds;

    @Option(names = "--wrk-warmup-seconds", defaultValue = "90", description = "Untimed wrk appends before the wrk row: under this load on 2 cores C2 took 40-50%% of a core for the first 60 s and settled after 70-80 s (default: ${DEFAULT-VALUE}).")
    double wrkWarmupSeconds;

    @Option(names = "--wrk-max-rate", defaultValue = "6000", description = "Appends/s the pre-signed proposals must last for (rate x seconds are signed); a wrk run that uses them up fails (default: ${DEFAULT-VALUE}).")
    int wrkMaxRate;

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

    @Option(names = "--batch-delay-ms", defaultValue = "1", description = "Sequencer batch max delay in ms (default: ${DEFAULT-VALUE}).")
    long batchDelayMs;

    @Option(names = "--max-pending", defaultValue = "65536", description = "Sequencer queue bound (default: ${DEFAULT-VALUE}).")
    int maxPending;

    @Option(names = "--tile-cache", defaultValue = "4096", description = "Tiles cached in memory (default: ${DEFAULT-VALUE}).")
    int tileCache;

    @Option(names = "--index-interval-ms", defaultValue = "1000", description = "How often recent entries are filed into the leaf-hash and search indexes, as airseal.log.index-interval (default: ${DEFAULT-VALUE}).")
    long indexIntervalMs;

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

    @Option(names = "--log-key", description = "Key the log signs checkpoints and SETs with in the in-process figure, as airseal.log.key (default: a new software P-256 key).")
    String logKey;

    @Option(names = "--softhsm", description = "Sign the in-process figure with a P-256 key in a temporary SoftHSM2 token (runs again in a child JVM with SOFTHSM2_CONF set).")
    boolean softhsm;

    @Option(names = "--softhsm-module", defaultValue = SoftHsmToken.DEFAULT_MODULE, description = "SoftHSM2 PKCS#11 module (default: ${DEFAULT-VALUE}).")
    String softhsmModule;

    // Set by --softhsm for its child JVM: make a P-256 key at --log-key first.
    @Option(names = "--generate-log-key", hidden = true)
    boolean generateLogKey;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      if (softhsm) {
        if (logKey != null) {
          throw new IllegalArgumentException("--softhsm makes its own log key; drop --log-key");
        }
        try (SoftHsmToken token = SoftHsmToken.create(softhsmModule)) {
          return token.rerun(
              rerunArgs(
                  spec,
                  List.of("--softhsm"),
                  List.of("--log-key", token.uri(SOFTHSM_OBJECT), "--generate-log-key")));
        }
      }
      if (generateLogKey) {
        Signers.generate(logKey, SignatureAlgorithm.PKIX_ECDSA_P256_SHA_256);
      }
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
              wrkSeconds,
              wrkWarmupSeconds,
              wrkMaxRate,
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
              tileCache,
              Duration.ofMillis(indexIntervalMs),
              logKey);
      List<Figure> figures = new LogBench(options, System.out).run();
      return figures.stream().allMatch(Figure::met) ? 0 : MISSED_TARGET;
    }
  }

  @Command(
      name = "ha",
      description = {
        "HTTP appends/s and HTTPS admissions/s (p50/p99, warm and cold) through the packaged service:",
        "H2 with one replica, PostgreSQL with one and with two replicas (load split over them), and with",
        "two how long an evidence import on one replica takes to be honoured by the other (docs/ha.md)."
      })
  static class Ha implements Callable<Integer> {
    @Option(names = "--postgres-url", defaultValue = "jdbc:postgresql://127.0.0.1:5432/test", description = "PostgreSQL database the bench makes a throw-away schema in (default: ${DEFAULT-VALUE}).")
    String postgresUrl;

    @Option(names = "--postgres-user", defaultValue = "postgres", description = "PostgreSQL role, password-less (trust) (default: ${DEFAULT-VALUE}).")
    String postgresUser;

    @Option(names = "--entries", defaultValue = "10000", description = "HTTP appends per row (default: ${DEFAULT-VALUE}).")
    int entries;

    @Option(names = "--clients", defaultValue = "64", description = "Concurrent HTTP clients per row, split over the replicas (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--jar", description = "quarkus-run.jar to start (default: this one).")
    Path jar;

    @Option(names = "--service-jvm-option", description = "Extra JVM option for the service processes, repeatable.")
    List<String> serviceJvmOptions = new java.util.ArrayList<>();

    @Option(names = "--connections", defaultValue = "16", description = "HTTPS connections posting AdmissionReviews, round-robin over the replicas (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--warm-pods", defaultValue = "100", description = "Distinct pods cycled through in the warm admission phase (default: ${DEFAULT-VALUE}).")
    int warmPods;

    @Option(names = "--admission-seconds", defaultValue = "5", description = "Timed seconds of the warm admission phase (default: ${DEFAULT-VALUE}).")
    double admissionSeconds;

    @Option(names = "--cold-pods", defaultValue = "200", description = "Pods of never-seen images in the cold admission phase (default: ${DEFAULT-VALUE}).")
    int coldPods;

    @Option(names = "--import-rounds", defaultValue = "5", description = "Timed imports on one replica awaited on the other (default: ${DEFAULT-VALUE}).")
    int importRounds;

    @Override
    public Integer call() throws Exception {
      Path d = Files.createTempDirectory("airseal-bench-ha-");
      dev.airseal.bench.HaBench.run(
          new dev.airseal.bench.HaBench.Options(
              jar, d, postgresUrl, postgresUser, entries, clients, serviceJvmOptions, connections,
              warmPods, admissionSeconds, coldPods, importRounds),
          System.out);
      return 0;
    }
  }

  @Command(
      name = "admission",
      description = {
        "AdmissionReviews of 3-container pods posted over HTTPS (keep-alive, N connections) to the packaged",
        "service in a child process: p50/p99/p99.9 latency and throughput, warm (cached verdicts) and cold",
        "(3 never-seen images per pod, each signature and its log evidence verified in full).",
        "Images are signed with a generated key, logged in the service's log and filed in its evidence store.",
        "Exit status 0 if every figure meets its target, 3 if one misses."
      })
  static class Admission implements Callable<Integer> {
    @Option(names = "--connections", defaultValue = "4", description = "Concurrent HTTPS connections of the warm phase (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--cold-connections", defaultValue = "1",
        description = "Concurrent HTTPS connections of the cold phase (default: ${DEFAULT-VALUE}: the latency of one full verification).")
    int coldConnections;

    @Option(names = "--rate", defaultValue = "5000", description = {
        "Load of the paced warm phase (wrk only), whose p99 is the latency figure: reviews sent on a fixed",
        "schedule at 2%% above this rate over 32 connections; 0 skips it (default: ${DEFAULT-VALUE})."})
    int rate;

    @Option(names = "--driver", defaultValue = "auto",
        description = "Warm-phase load generator: wrk, java (java.net.http) or auto (wrk when on the PATH) (default: ${DEFAULT-VALUE}).")
    String driver;

    @Option(names = "--warm-pods", defaultValue = "200", description = "Distinct pods cycled through in the warm phase (default: ${DEFAULT-VALUE}).")
    int warmPods;

    @Option(names = "--seconds", defaultValue = "10", description = "Timed seconds of the warm phase (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--warmup-seconds", defaultValue = "30", description = "Untimed warm load first: C2 still took half a core 25 s into the warm load, and the service CPU per admission was 120-245 µs after 15 s of warm-up, 93-121 µs after 30-45 s (default: ${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Option(names = "--cold-pods", defaultValue = "1000", description = "Pods of never-seen images in each of the cold phase's two sets, the first after start and the measured one (default: ${DEFAULT-VALUE}).")
    int coldPods;

    @Option(names = "--jar", description = "quarkus-run.jar to start (default: target/quarkus-app/quarkus-run.jar).")
    Path jar;

    @Option(names = "--service-jvm-option", description = "Extra JVM option for the service process, repeatable.")
    List<String> serviceJvmOptions = List.of();

    @Option(names = "--service-cpus", description = {
        "Pin the service to these CPUs (taskset -c LIST, e.g. 0), to tell its tail from the machine's;",
        "default: not pinned."})
    String serviceCpus;

    @Option(names = "--driver-cpus", description = "Pin wrk to these CPUs (taskset -c LIST, e.g. 1); default: not pinned.")
    String driverCpus;

    @Option(names = "--dir", description = "Working directory (default: a new temporary directory).")
    Path dir;

    @Option(names = "--keep", description = "Keep the working directory (service data, log) afterwards.")
    boolean keep;

    @Override
    public Integer call() throws Exception {
      Path d = dir != null ? dir : Files.createTempDirectory("airseal-bench-admission-");
      List<Figure> figures = new dev.airseal.bench.AdmissionBench(new dev.airseal.bench.AdmissionBench.Options(
          d, keep, jar, serviceJvmOptions, connections, warmPods, seconds, warmupSeconds, coldPods, coldConnections, driver, rate,
          serviceCpus, driverCpus),
          System.out).run();
      return figures.stream().allMatch(Figure::met) ? 0 : Log.MISSED_TARGET;
    }
  }

  @Command(
      name = "bundle",
      description = {
        "Create and import a transfer bundle: N images with signatures (SETs from an upstream log)",
        "and attestations, plus one carried image with a large layer; the import runs in a fresh",
        "service process with a small heap and is timed from upload to commit."
      })
  static class Bundle implements Callable<Integer> {
    @Option(names = "--images", defaultValue = "2000", description = "Signed images (default: ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--signatures-per-image", defaultValue = "5", description = "Signature layers per image (default: ${DEFAULT-VALUE}).")
    int signaturesPerImage;

    @Option(names = "--attestations", defaultValue = "2000", description = "Images with one attestation (default: ${DEFAULT-VALUE}).")
    int attestations;

    @Option(names = "--image-mib", defaultValue = "512", description = "Size of the carried image layer in MiB (default: ${DEFAULT-VALUE}).")
    int imageMiB;

    @Option(names = "--heap", defaultValue = "256m", description = "Service -Xmx (default: ${DEFAULT-VALUE}).")
    String heap;

    @Option(names = "--jar", description = "quarkus-run.jar to start (default: this one).")
    Path jar;

    @Override
    public Integer call() throws Exception {
      List<Figure> figures = dev.airseal.bench.BundleBench.run(new dev.airseal.bench.BundleBench.Options(
          jar != null ? jar : dev.airseal.bench.LogBench.locateJar(), images, signaturesPerImage, attestations,
          imageMiB, heap), System.out);
      figures.forEach(f -> System.out.println(f.line()));
      return figures.stream().allMatch(Figure::met) ? 0 : Log.MISSED_TARGET;
    }
  }
}
