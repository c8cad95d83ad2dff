package dev.airseal.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airseal.testing.ServiceProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The systemd unit as install.sh lays it down (under {@code --prefix} it is written into the prefix,
 * naming the prefix's paths), checked without a running systemd: {@code systemd-analyze verify},
 * its paths and user against what the installer made, its hardening, and the exposure score of
 * {@code systemd-analyze security --offline=yes} printed for the record.
 */
class SystemdUnitIT {
  private static final String JAVA = ProcessHandle.current().info().command().orElse("java");

  record Run(int code, String output) {}

  @Test
  void installedUnit_passesVerify_namesTheInstalledLayout_andIsHardened(@TempDir Path tmp) throws Exception {
    requireSystemdAnalyze();
    Path release = unpack(tmp.resolve("unpacked"));
    Path root = tmp.resolve("root");
    Run install = run(List.of("bash", release.resolve("installer/install.sh").toString(), "--prefix", root.toString(),
        "--java", JAVA, "--no-start"));
    assertThat(install.code()).as(install.output()).isZero();
    Path unit = root.resolve("etc/systemd/system/airseal.service");
    assertThat(install.output()).contains("installed " + unit);

    Run verify = run(List.of("systemd-analyze", "verify", unit.toString()), tmp);
    assertThat(verify.code()).as(verify.output()).isZero();
    // verify exits 0 on settings it ignores ("Failed to parse ..., ignoring"): any line naming
    // the unit is a finding.
    assertThat(verify.output()).doesNotContain("airseal.service");

    Map<String, List<String>> s = service(unit);
    Path data = root.resolve("var/lib/airseal");
    Path etc = root.resolve("etc/airseal");
    List<String> exec = Arrays.stream(one(s, "ExecStart").split("\\s+")).filter(t -> !t.startsWith("$")).toList();
    assertThat(exec.get(0)).isEqualTo(JAVA);
    assertThat(exec).contains("-Dquarkus.config.locations=" + etc.resolve("application.properties"));
    Path jar = Path.of(exec.get(exec.indexOf("-jar") + 1));
    assertThat(jar).isEqualTo(root.resolve("opt/airseal/current/app/quarkus-run.jar")).isRegularFile();
    assertThat(exec.get(exec.size() - 1)).isEqualTo("serve");
    assertThat(etc.resolve("application.properties")).isRegularFile();
    assertThat(Path.of(one(s, "EnvironmentFile"))).isEqualTo(etc.resolve("airseal.env")).isRegularFile();
    assertThat(Path.of(one(s, "WorkingDirectory"))).isEqualTo(data).isDirectory();
    // The one writable path is the data directory the configuration names and the service user owns.
    assertThat(Path.of(one(s, "ReadWritePaths"))).isEqualTo(data);
    assertThat(Files.readString(etc.resolve("application.properties"))).contains("airseal.data-dir=" + data + "\n");
    assertThat(one(s, "User")).isEqualTo(Files.getOwner(data).getName());
    assertThat(one(s, "Group")).isEqualTo(Files.readAttributes(data,
        java.nio.file.attribute.PosixFileAttributes.class).group().getName());

    Map<String, String> hardening = new LinkedHashMap<>();
    hardening.put("NoNewPrivileges", "true");
    hardening.put("CapabilityBoundingSet", "");
    hardening.put("ProtectSystem", "strict");
    hardening.put("ProtectHome", "true");
    hardening.put("PrivateTmp", "true");
    hardening.put("ProtectKernelTunables", "true");
    hardening.put("ProtectKernelModules", "true");
    hardening.put("ProtectControlGroups", "true");
    hardening.put("RestrictNamespaces", "true");
    hardening.put("RestrictSUIDSGID", "true");
    hardening.put("SystemCallArchitectures", "native");
    hardening.put("UMask", "0077");
    hardening.forEach((k, v) -> assertThat(s.get(k)).as(k).containsExactly(v));
    assertThat(s.get("SystemCallFilter")).contains("@system-service");

    Run security = run(List.of("systemd-analyze", "security", "--offline=yes", unit.toString()), tmp);
    if (security.code() == 0) {
      String overall = security.output().lines().filter(l -> l.contains("Overall exposure level")).findFirst()
          .orElseThrow(() -> new AssertionError("no exposure level in:\n" + security.output()));
      System.out.println("SystemdUnitIT: systemd-analyze security --offline=yes: " + overall.strip());
    } else {
      System.out.println("SystemdUnitIT: systemd-analyze security --offline=yes not supported here (systemd < 250): "
          + security.output().lines().findFirst().orElse(""));
    }

    Run again = run(List.of("bash", release.resolve("installer/install.sh").toString(), "--prefix", root.toString(),
        "--java", JAVA, "--no-start"));
    assertThat(again.output()).contains("no changes").doesNotContain("changed:");
    Run uninstall = run(List.of("bash", root.resolve("opt/airseal/current/installer/uninstall.sh").toString(),
        "--prefix", root.toString()));
    assertThat(uninstall.code()).as(uninstall.output()).isZero();
    assertThat(unit).doesNotExist();
  }

  @Test
  void verify_catchesAUnitWhoseJavaIsMissing(@TempDir Path tmp) throws Exception {
    requireSystemdAnalyze();
    // The check above is only worth something if verify notices a wrong path.
    String unit = Files.readString(Path.of("installer/systemd/airseal.service"))
        .replace("ExecStart=/usr/bin/java ", "ExecStart=" + tmp.resolve("no-such/java") + " ");
    Path bad = Files.writeString(tmp.resolve("airseal.service"), unit);
    Run verify = run(List.of("systemd-analyze", "verify", bad.toString()), tmp);
    assertThat(verify.code()).as(verify.output()).isNotZero();
    assertThat(verify.output()).contains("no-such/java");
  }

  // --- helpers ---------------------------------------------------------------------------------

  /** The [Service] settings, each key with its values in order (a key may repeat). */
  private static Map<String, List<String>> service(Path unit) throws IOException {
    Map<String, List<String>> m = new LinkedHashMap<>();
    String section = "";
    for (String line : Files.readAllLines(unit)) {
      String l = line.strip();
      if (l.startsWith("[")) {
        section = l;
      } else if (section.equals("[Service]") && !l.isEmpty() && !l.startsWith("#") && l.contains("=")) {
        int eq = l.indexOf('=');
        m.computeIfAbsent(l.substring(0, eq), k -> new ArrayList<>()).add(l.substring(eq + 1));
      }
    }
    return m;
  }

  private static String one(Map<String, List<String>> s, String key) {
    assertThat(s.get(key)).as(key).hasSize(1);
    return s.get(key).get(0);
  }

  private static void requireSystemdAnalyze() {
    boolean present = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
        .anyMatch(d -> Files.isExecutable(Path.of(d, "systemd-analyze")));
    String reason = "systemd-analyze is not installed (Debian: apt-get install systemd)";
    if (!present && "true".equals(System.getenv("CI"))) {
      throw new AssertionError(reason);
    }
    if (!present) {
      System.out.println("SystemdUnitIT: skipped: " + reason);
    }
    Assumptions.assumeTrue(present, reason);
  }

  private static Path tarball() throws IOException {
    Path target = ServiceProcess.jar().getParent().getParent();
    try (Stream<Path> s = Files.list(target)) {
      return s.filter(p -> p.getFileName().toString().matches("airseal-.+\\.tar\\.gz"))
          .max(Comparator.comparing(p -> p.toFile().lastModified()))
          .orElseThrow(() -> new IllegalStateException("no airseal-*.tar.gz in " + target + ": mvn package"));
    }
  }

  private static Path unpack(Path dir) throws Exception {
    Files.createDirectories(dir);
    Run r = run(List.of("tar", "-xzf", tarball().toString(), "-C", dir.toString()));
    assertThat(r.code()).as(r.output()).isZero();
    try (Stream<Path> s = Files.list(dir)) {
      return s.findFirst().orElseThrow();
    }
  }

  private static Run run(List<String> cmd) throws Exception {
    return run(cmd, Path.of("."));
  }

  private static Run run(List<String> cmd, Path dir) throws Exception {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + cmd + "\n" + out);
    }
    return new Run(p.exitValue(), out);
  }
}
