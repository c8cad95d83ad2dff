package dev.airseal.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The benches start the service with the JVM options operators get from the installer, in the
 * same place: before the operator's {@code JAVA_OPTS}, so that theirs win. A flag added to one and
 * not the other would make the bench measure a service nobody runs.
 */
class ShippedJvmOptionsTest {
  private static final String OPTIONS = String.join(" ", dev.airseal.config.ShippedJvmOptions.OPTIONS);

  @Test
  void theSystemdUnitStartsJavaWithThemBeforeJavaOpts() throws Exception {
    String exec = Files.readAllLines(Path.of("installer/systemd/airseal.service")).stream()
        .filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow();
    assertThat(exec).startsWith("ExecStart=/usr/bin/java " + OPTIONS + " $JAVA_OPTS ");
  }

  @Test
  void theInClusterDeploymentGivesThemAsJavaToolOptions() throws Exception {
    String yaml = dev.airseal.admission.WebhookManifests.render(
        new dev.airseal.admission.WebhookManifests.Options("airseal", "airseal", "CA", 10, java.util.Optional.empty(),
            "registry.site/airseal:1",
            java.util.Optional.of(new dev.airseal.admission.WebhookManifests.Tls("CERT", "KEY")), java.util.Map.of()));
    assertThat(yaml).containsPattern("- name: \"?JAVA_TOOL_OPTIONS\"?\n\s+value: \"?" + OPTIONS + "\"?\n");
  }

  @Test
  void theInstallersProcessModeStartsJavaWithThemBeforeJavaOpts() throws Exception {
    assertThat(Files.readString(Path.of("installer/install.sh")))
        .contains("nohup \"$java\" " + OPTIONS + " ${JAVA_OPTS:-} ");
  }
}
