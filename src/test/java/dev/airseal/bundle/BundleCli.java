package dev.airseal.bundle;

import dev.airseal.cli.BundleCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * Runs {@code bundle <sub> args} in this JVM (so a Quarkus test's service and database are the
 * ones it talks to); stdout, stderr and a thrown exception's message land in one text.
 */
record BundleCli(int exit, String output) {
  static BundleCli create(String... args) {
    return run("create", args);
  }

  static synchronized BundleCli run(String sub, String... args) {
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new BundleCommand());
    cl.setErr(new PrintWriter(err));
    // What the command threw, as a one-line report.
    cl.setExecutionExceptionHandler((ex, c, parsed) -> {
      err.append("error: ").append(ex.getMessage()).append('\n');
      return 1;
    });
    PrintStream oldErr = System.err;
    PrintStream oldOut = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream both = new PrintStream(captured, true, StandardCharsets.UTF_8);
    System.setErr(both);
    System.setOut(both);
    int rc;
    try {
      String[] all = new String[args.length + 1];
      all[0] = sub;
      System.arraycopy(args, 0, all, 1, args.length);
      rc = cl.execute(all);
    } finally {
      System.setErr(oldErr);
      System.setOut(oldOut);
    }
    return new BundleCli(rc, err + captured.toString(StandardCharsets.UTF_8));
  }
}
