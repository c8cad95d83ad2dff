package dev.airseal.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airseal.testing.TestEntries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --clock-skew} of the verify CLIs reaches the verification policy; default 60 s. */
class ClockSkewFlagTest {
  @TempDir Path dir;

  private BlobVerifyFlags flags(String... extra) throws Exception {
    Path pub = Files.writeString(dir.resolve("k.pub"), TestEntries.publicKeyPem(TestEntries.p256()));
    VerifyBlobCommand c = new VerifyBlobCommand();
    String[] args = new String[extra.length + 5];
    args[0] = "--bundle";
    args[1] = dir.resolve("b.json").toString();
    args[2] = "--key";
    args[3] = pub.toString();
    System.arraycopy(extra, 0, args, 4, extra.length);
    args[args.length - 1] = "file.txt";
    new CommandLine(c).parseArgs(args);
    return c.flags;
  }

  @Test
  void verifyBlob_defaultsToSixtySeconds_andTakesAnIsoDuration() throws Exception {
    assertThat(flags().policy().clockSkew()).isEqualTo(Duration.ofSeconds(60));
    assertThat(flags("--clock-skew", "PT0S").policy().clockSkew()).isZero();
    assertThat(flags("--clock-skew", "PT5M").policy().clockSkew()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void aNegativeSkew_isRefusedWithTheReason() {
    assertThatThrownBy(() -> flags("--clock-skew", "-PT1S").policy()).hasMessageContaining("must not be negative");
  }
}
