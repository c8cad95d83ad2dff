package dev.airseal.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * {@code bench ha}: HTTP appends per second through the packaged service on H2 (one replica), and
 * on PostgreSQL with one and with two replicas, the clients split evenly over the replicas (the
 * follower forwards its half to the leader). Every figure starts from an empty log.
 */
public final class HaBench {
  /** What to run. */
  public record Options(
      Path jar,
      Path dir,
      String postgresUrl,
      String postgresUser,
      int entries,
      int clients,
      List<String> serviceJvmOptions) {}

  private HaBench() {}

  public static void run(Options o, PrintStream out) throws Exception {
    Path jar = o.jar() != null ? o.jar() : LogBench.locateJar();
    Proposals proposals = new Proposals();
    out.printf("bench ha: %d HTTP appends per row, %d clients%n", o.entries(), o.clients());
    Machine.describe(out);
    List<byte[]> warm = proposals.signed(Math.min(2_000, o.entries()));
    List<String> rows = new ArrayList<>();
    rows.add(row(out, "H2, 1 replica", runH2(o, jar, proposals, warm)));
    for (int replicas = 1; replicas <= 2; replicas++) {
      String schema = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
      createSchema(o, schema);
      try {
        rows.add(
            row(out, "PostgreSQL, " + replicas + " replica" + (replicas > 1 ? "s" : ""),
                runPostgres(o, jar, proposals, warm, schema, replicas)));
      } finally {
        dropSchema(o, schema);
      }
    }
    out.println();
    rows.forEach(out::println);
  }

  private static String row(PrintStream out, String label, double perSecond) {
    String r = String.format("  %-26s %,10.0f appends/s", label, perSecond);
    out.println(r);
    return r;
  }

  private static double runH2(Options o, Path jar, Proposals p, List<byte[]> warm)
      throws Exception {
    Path d = o.dir().resolve("h2");
    try (ServiceProcess s = ServiceProcess.start(jar, d, o.serviceJvmOptions(), Map.of())) {
      HttpAppendBench.run("warm-up", s.base(), warm, o.clients(), HttpAppendBench.Client.JDK);
      return HttpAppendBench.run("h2", s.base(), p.signed(o.entries()), o.clients(),
              HttpAppendBench.Client.JDK)
          .perSecond();
    }
  }

  private static double runPostgres(
      Options o, Path jar, Proposals p, List<byte[]> warm, String schema, int replicas)
      throws Exception {
    List<ServiceProcess> started = new ArrayList<>();
    try {
      for (int r = 0; r < replicas; r++) {
        Path d = o.dir().resolve(schema + "-" + r);
        if (r > 0) {
          copyKeys(o.dir().resolve(schema + "-0").resolve("keys"), d.resolve("keys"));
        }
        Map<String, String> props = new LinkedHashMap<>();
        props.put("airseal.database.kind", "postgresql");
        props.put("quarkus.datasource.postgresql.jdbc.url", o.postgresUrl() + "?currentSchema=" + schema);
        props.put("quarkus.datasource.postgresql.username", o.postgresUser());
        props.put("airseal.log.hostname", "bench.ha");
        started.add(ServiceProcess.start(jar, d, o.serviceJvmOptions(), props));
      }
      HttpAppendBench.run("warm-up", started.get(0).base(), warm, o.clients(),
          HttpAppendBench.Client.JDK);
      List<byte[]> all = p.signed(o.entries());
      int per = all.size() / replicas;
      long t0 = System.nanoTime();
      List<CompletableFuture<HttpAppendBench.Result>> runs = new ArrayList<>();
      for (int r = 0; r < replicas; r++) {
        ServiceProcess s = started.get(r);
        List<byte[]> part = all.subList(r * per, r == replicas - 1 ? all.size() : (r + 1) * per);
        runs.add(CompletableFuture.supplyAsync(
            () -> HttpAppendBench.run("replica", s.base(), part, o.clients() / replicas,
                HttpAppendBench.Client.JDK)));
      }
      runs.forEach(CompletableFuture::join);
      return all.size() / ((System.nanoTime() - t0) / 1e9);
    } finally {
      for (ServiceProcess s : started) {
        s.close();
      }
    }
  }

  private static void copyKeys(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (var files = Files.list(from)) {
      for (Path f : files.toList()) {
        if (Files.isRegularFile(f)) {
          Files.copy(f, to.resolve(f.getFileName()));
        }
      }
    }
  }

  private static void createSchema(Options o, String schema) throws SQLException {
    try (Connection c = DriverManager.getConnection(o.postgresUrl(), o.postgresUser(), "");
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
  }

  private static void dropSchema(Options o, String schema) throws SQLException {
    try (Connection c = DriverManager.getConnection(o.postgresUrl(), o.postgresUser(), "");
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA " + schema + " CASCADE");
    }
  }
}
