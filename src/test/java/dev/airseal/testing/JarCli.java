package dev.airseal.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged jar run as a CLI command in its own process, as an operator types it. */
public final class JarCli {
  public record Result(int exit, String out, String err) {}

  private JarCli() {}

  /**
   * Runs {@code java <jvm> -jar quarkus-run.jar <args>} in {@code dir} with {@code env} added (the
   * caller's write token removed, so a test gives it only where it means to).
   */
  public static Result run(Path dir, Map<String, String> env, List<String> jvm, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
    cmd.addAll(jvm);
    cmd.addAll(List.of("-jar", ServiceProcess.jar().toAbsolutePath().toString()));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "cli", ".out");
    Path err = Files.createTempFile(dir, "cli", ".err");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().remove("AIRSEAL_API_WRITE_TOKEN");
    pb.environment().putAll(env);
    Process p = pb.start();
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).as(String.join(" ", cmd)).isTrue();
    return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
  }
}
