package dev.airseal.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** The throwaway token of {@code --softhsm} and the child JVM it is handed to. */
class SoftHsmTokenTest {

  // Without SoftHSM2 skip with the reason; under CI=true that is a failure, as in SoftHsm.
  private static void requireSoftHsm() {
    String missing = null;
    if (!Files.isRegularFile(Path.of(SoftHsmToken.DEFAULT_MODULE))) {
      missing = "SoftHSM2 module " + SoftHsmToken.DEFAULT_MODULE + " not installed";
    } else if (!onPath("softhsm2-util")) {
      missing = "softhsm2-util not on PATH";
    }
    if (missing != null) {
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError("CI=true but " + missing);
      }
      throw new TestAbortedException(missing + " (apt-get install softhsm2)");
    }
  }

  private static boolean onPath(String exe) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(d, exe))) {
        return true;
      }
    }
    return false;
  }

  @Test
  void create_initialisesTheBenchTokenUnderItsOwnConf_andCloseDeletesIt() throws Exception {
    requireSoftHsm();
    Path conf;
    try (SoftHsmToken token = SoftHsmToken.create(SoftHsmToken.DEFAULT_MODULE)) {
      conf = token.conf();
      assertThat(Files.readString(conf)).contains("directories.tokendir = " + conf.getParent());
      assertThat(token.env()).containsEntry("SOFTHSM2_CONF", conf.toString());
      assertThat(showSlots(conf)).contains("Label:            " + SoftHsmToken.LABEL);
    }
    assertThat(conf.getParent()).doesNotExist();
  }

  @Test
  void create_refusesAMissingModule() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> SoftHsmToken.create("/nonexistent/libsofthsm2.so"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("/nonexistent/libsofthsm2.so not found");
  }

  @Test
  void uri_keepsThePinOutOfTheArguments() throws Exception {
    requireSoftHsm();
    try (SoftHsmToken token = SoftHsmToken.create(SoftHsmToken.DEFAULT_MODULE)) {
      assertThat(token.uri("k"))
          .isEqualTo(
              "pkcs11:token=bench;object=k?module-path=" + SoftHsmToken.DEFAULT_MODULE)
          .doesNotContain("pin");
      assertThat(token.env()).containsEntry("AIRSEAL_PKCS11_PIN", SoftHsmToken.PIN);
    }
  }

  @Test
  void command_runsTheJarWithTheGivenArguments() {
    List<String> cmd = SoftHsmToken.command(Path.of("app", "quarkus-run.jar"), List.of("bench", "sign"));
    assertThat(cmd.get(0)).endsWith("/bin/java");
    assertThat(cmd.subList(cmd.size() - 4, cmd.size()))
        .containsExactly(
            "-jar", Path.of("app", "quarkus-run.jar").toAbsolutePath().toString(), "bench", "sign");
  }

  private static String showSlots(Path conf) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("softhsm2-util", "--show-slots").redirectErrorStream(true);
    pb.environment().put("SOFTHSM2_CONF", conf.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return out;
  }
}
