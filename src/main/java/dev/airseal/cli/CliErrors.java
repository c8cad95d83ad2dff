package dev.airseal.cli;

import io.quarkus.picocli.runtime.PicocliCommandLineFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/**
 * How a command that failed with an exception tells the operator: one line naming the command and
 * the cause (a missing file, a registry that does not answer), not a stack trace. Set
 * {@code AIRSEAL_DEBUG=1} for the trace.
 */
@ApplicationScoped
public class CliErrors {
  @Produces
  CommandLine commandLine(PicocliCommandLineFactory factory) {
    return factory.create().setExecutionExceptionHandler(CliErrors::report);
  }

  static int report(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    if ("1".equals(System.getenv("AIRSEAL_DEBUG")) || Boolean.getBoolean("airseal.debug")) {
      e.printStackTrace(err);
    }
    err.println("airseal " + cmd.getCommandSpec().qualifiedName(" ").replaceFirst("^airseal ", "") + ": " + describe(e));
    err.flush();
    return cmd.getCommandSpec().exitCodeOnExecutionException();
  }

  /** The exception and its causes, each once, as a reader wants them. */
  static String describe(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null && sb.length() < 2000; t = t.getCause() == t ? null : t.getCause()) {
      String one = one(t);
      if (!sb.toString().contains(one)) {
        sb.append(sb.length() == 0 ? "" : ": ").append(one);
      }
    }
    return sb.toString();
  }

  private static String one(Throwable t) {
    if (t instanceof NoSuchFileException f) {
      return "no such file: " + f.getFile();
    }
    if (t instanceof AccessDeniedException f) {
      return "permission denied: " + f.getFile();
    }
    if (t instanceof ConnectException && t.getMessage() == null) {
      return "connection refused";
    }
    String m = t.getMessage();
    return m == null || m.isBlank() ? t.getClass().getSimpleName() : m.contains(" ") ? m : t.getClass().getSimpleName() + ": " + m;
  }
}
