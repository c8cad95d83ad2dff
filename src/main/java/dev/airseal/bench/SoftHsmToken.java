package dev.airseal.bench;

import dev.airseal.signing.pkcs11.Pkcs11Uri;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway SoftHSM2 token for {@code --softhsm}: its own {@code softhsm2.conf} and token
 * directory under a temporary directory, deleted on close. The user's tokens are never touched.
 *
 * <p>SoftHSM2 reads {@code SOFTHSM2_CONF} from the process environment when SunPKCS11 loads it, and
 * a JVM cannot change its own environment; so the bench runs again in a child JVM ({@link #rerun})
 * whose environment names this token.
 */
public final class SoftHsmToken implements AutoCloseable {
  public static final String DEFAULT_MODULE = "/usr/lib/softhsm/libsofthsm2.so";
  public static final String LABEL = "bench";
  // A bench token holds nothing but keys made for the run; its PIN protects nothing.
  static final String PIN = "1234";
  static final String CONF_ENV = "SOFTHSM2_CONF";

  private final Path dir;
  private final Path conf;
  private final String module;

  private SoftHsmToken(Path dir, Path conf, String module) {
    this.dir = dir;
    this.conf = conf;
    this.module = module;
  }

  /** Writes the configuration and initialises token {@value #LABEL} with {@code softhsm2-util}. */
  public static SoftHsmToken create(String module) throws IOException {
    if (!Files.isRegularFile(Path.of(module))) {
      throw new IOException(
          "SoftHSM2 module " + module + " not found (apt-get install softhsm2, or --softhsm-module)");
    }
    Path dir = Files.createTempDirectory("airseal-bench-softhsm-");
    Path tokens = Files.createDirectory(dir.resolve("tokens"));
    Path conf = dir.resolve("softhsm2.conf");
    Files.writeString(
        conf,
        "directories.tokendir = " + tokens + "\nobjectstore.backend = file\n"
            + "log.level = ERROR\nslots.removable = false\n");
    SoftHsmToken token = new SoftHsmToken(dir, conf, module);
    try {
      token.initialise();
    } catch (IOException | RuntimeException e) {
      token.close();
      throw e;
    }
    return token;
  }

  private void initialise() throws IOException {
    List<String> cmd =
        List.of("softhsm2-util", "--init-token", "--free", "--label", LABEL, "--pin", PIN, "--so-pin", PIN);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().put(CONF_ENV, conf.toString());
    Path log = dir.resolve("softhsm2-util.log");
    Process p;
    try {
      p = pb.redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      throw new IOException("softhsm2-util not runnable (apt-get install softhsm2): " + e.getMessage(), e);
    }
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("softhsm2-util --init-token did not finish within 60 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException("interrupted", e);
    }
    if (p.exitValue() != 0) {
      throw new IOException(
          String.join(" ", cmd) + " exited " + p.exitValue() + ":\n"
              + Files.readString(log, StandardCharsets.UTF_8));
    }
  }

  public Path conf() {
    return conf;
  }

  /** What the child JVM's environment must hold: the configuration and the PIN. */
  public Map<String, String> env() {
    return Map.of(CONF_ENV, conf.toString(), Pkcs11Uri.ENV_PIN, PIN);
  }

  /** A key in this token; the PIN stays out of the URI (and so out of argv), in {@link #env()}. */
  public String uri(String object) {
    return "pkcs11:token=" + LABEL + ";object=" + object + "?module-path=" + module;
  }

  /**
   * Runs {@code java -jar <this jar> args...} with {@link #env()} added to our environment; the
   * child writes to our stdout and stderr. Returns its exit status.
   */
  public int rerun(List<String> args) throws IOException {
    List<String> cmd = command(LogBench.locateJar(), args);
    ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
    pb.environment().putAll(env());
    pb.environment().remove(Pkcs11Uri.ENV_PIN_FILE);
    Process p = pb.start();
    try {
      return p.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroy();
      throw new IOException("interrupted while the child bench ran", e);
    }
  }

  // The child gets our heap size so that its figures are comparable to a run without --softhsm.
  static List<String> command(Path jar, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("-Xmx") || a.startsWith("-Xms")) {
        cmd.add(a);
      }
    }
    cmd.add("-jar");
    cmd.add(jar.toAbsolutePath().toString());
    cmd.addAll(args);
    return cmd;
  }

  @Override
  public void close() {
    LogBench.deleteTree(dir);
  }
}
