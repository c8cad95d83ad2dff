package dev.airseal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class CliErrorsTest {
  @Command(name = "create")
  static class Failing implements Callable<Integer> {
    Exception toThrow;

    @Override
    public Integer call() throws Exception {
      throw toThrow;
    }
  }

  @Command(name = "bundle")
  static class Group {}

  private static String run(Exception e) {
    Failing f = new Failing();
    f.toThrow = e;
    CommandLine cl = new CommandLine(new Group());
    cl.addSubcommand("create", new CommandLine(f));
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err)).setExecutionExceptionHandler(CliErrors::report);
    assertThat(cl.execute("create")).isEqualTo(1);
    return err.toString();
  }

  @Test
  void aMissingFile_isOneLineNamingTheCommandAndTheFile() {
    String out = run(new NoSuchFileException("transfer.pem"));
    assertThat(out).isEqualTo("airseal bundle create: no such file: transfer.pem" + System.lineSeparator());
  }

  @Test
  void causesAreChained_withoutAStackTrace() {
    String out = run(new UncheckedIOException("cannot reach the registry reg.example", new ConnectException()));
    assertThat(out).contains("cannot reach the registry reg.example: connection refused").doesNotContain("\tat ");
    assertThat(CliErrors.describe(new IOException("x", new IOException("x")))).isEqualTo("IOException: x");
  }
}
