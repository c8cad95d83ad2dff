package dev.airseal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** What {@code --softhsm} hands its child JVM: the same run, with the token's key instead. */
class BenchCommandTest {
  private static BenchCommand.Sign parseSign(String... args) {
    ParseResult pr = new CommandLine(new BenchCommand()).parseArgs(args);
    return (BenchCommand.Sign) pr.subcommand().commandSpec().userObject();
  }

  @Test
  void rerunArgs_keepsEveryOptionGivenButSofthsm_andAddsTheTokenKey() {
    BenchCommand.Sign sign =
        parseSign(
            "sign", "--softhsm", "--key", "a.key", "--threads", "1,4", "--key", "awskms:///alias/x",
            "--seconds", "0.5");
    List<String> args =
        BenchCommand.rerunArgs(
            sign.spec, List.of("--softhsm"), List.of("--generate-key", "pkcs11:token=bench"));
    assertThat(args)
        .containsExactly(
            "bench", "sign", "--key", "a.key", "--key", "awskms:///alias/x", "--threads", "1,4",
            "--seconds", "0.5", "--generate-key", "pkcs11:token=bench");
  }

  @Test
  void rerunArgs_log_keepsFlagsWithoutValues() {
    ParseResult pr =
        new CommandLine(new BenchCommand())
            .parseArgs("log", "--softhsm", "--skip-http", "--skip-proofs", "--entries", "100");
    BenchCommand.Log log = (BenchCommand.Log) pr.subcommand().commandSpec().userObject();
    assertThat(BenchCommand.rerunArgs(log.spec, List.of("--softhsm"), List.of("--generate-log-key")))
        .containsExactly(
            "bench", "log", "--skip-http", "--skip-proofs", "--entries", "100", "--generate-log-key");
  }
}
