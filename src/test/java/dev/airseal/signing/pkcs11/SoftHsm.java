package dev.airseal.signing.pkcs11;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.opentest4j.TestAbortedException;

/**
 * Runs a test class against a SoftHSM2 token of its own.
 *
 * <p>SoftHSM reads {@code SOFTHSM2_CONF} from the process environment when SunPKCS11 loads it into
 * the JVM, and a JVM cannot change its own environment. So, per test class, this extension writes
 * a {@code softhsm2.conf} with a fresh token directory, initialises tokens with {@code
 * softhsm2-util}, and runs the class again in a child JVM with {@code SOFTHSM2_CONF} set; each test
 * of the parent then reports its child's outcome (a failure carries the child's stack trace). The
 * user's real token directory is never touched, and classes never share a token or a login.
 *
 * <p>Without SoftHSM2 the tests are skipped with the reason, or fail if {@code CI=true}.
 */
public final class SoftHsm
    implements BeforeAllCallback, AfterAllCallback, InvocationInterceptor {
  public static final String MODULE =
      System.getProperty("airseal.softhsm.module", "/usr/lib/softhsm/libsofthsm2.so");
  public static final String TOKEN = "test";
  /** A second token, for tests that must not share the first one's login. */
  public static final String SPARE_TOKEN = "spare";
  public static final String PIN = "1234";

  static final String CHILD = "airseal.softhsm.child";
  static final String RESULTS = "airseal.softhsm.results";
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SoftHsm.class);

  /** A URI for the test token in the child JVM: {@code uri("object=k1")}. */
  public static Pkcs11Uri uri(String pathAttributes) {
    return Pkcs11Uri.parse(uriText(TOKEN, pathAttributes, PIN));
  }

  public static String uriText(String token, String pathAttributes, String pin) {
    return "pkcs11:token=" + token + (pathAttributes.isEmpty() ? "" : ";" + pathAttributes)
        + "?module-path=" + MODULE + "&pin-value=" + pin;
  }

  static boolean inChild() {
    return Boolean.getBoolean(CHILD);
  }

  private record Outcome(Properties results, String log) {}

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    if (inChild()) {
      return;
    }
    String missing = missing();
    if (missing != null) {
      context.getStore(NS).put("missing", missing);
      System.out.println("SKIP " + context.getDisplayName() + ": " + missing);
      return;
    }
    Path dir = Files.createTempDirectory("softhsm-");
    context.getStore(NS).put("dir", dir);
    Path conf = dir.resolve("softhsm2.conf");
    Files.createDirectory(dir.resolve("tokens"));
    Files.writeString(
        conf,
        "directories.tokendir = " + dir.resolve("tokens") + "\nobjectstore.backend = file\n"
            + "log.level = ERROR\nslots.removable = false\n");
    for (String label : List.of(TOKEN, SPARE_TOKEN)) {
      run(conf, dir, List.of("softhsm2-util", "--init-token", "--free", "--label", label, "--pin", PIN,
          "--so-pin", PIN));
    }
    Path results = dir.resolve("results.properties");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String log =
        run(conf, dir, List.of(java, "-D" + CHILD + "=true", "-D" + RESULTS + "=" + results,
            "-cp", System.getProperty("java.class.path"), SoftHsmChild.class.getName(),
            context.getRequiredTestClass().getName()));
    Properties props = new Properties();
    if (Files.exists(results)) {
      try (InputStream in = Files.newInputStream(results)) {
        props.load(in);
      }
    }
    context.getStore(NS).put("outcome", new Outcome(props, log));
  }

  private static String missing() {
    if (!new File(MODULE).isFile()) {
      return "SoftHSM2 module " + MODULE + " not installed (apt-get install softhsm2)";
    }
    try {
      run(null, Path.of(System.getProperty("java.io.tmpdir")), List.of("softhsm2-util", "--version"));
      return null;
    } catch (IOException | IllegalStateException e) {
      return "softhsm2-util not runnable: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private static String run(Path conf, Path dir, List<String> command)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    if (conf != null) {
      pb.environment().put("SOFTHSM2_CONF", conf.toString());
    }
    pb.environment().remove("AIRSEAL_PKCS11_PIN");
    pb.environment().remove("AIRSEAL_PKCS11_PIN_FILE");
    pb.environment().remove("AIRSEAL_PKCS11_MODULE");
    Path out = Files.createTempFile(dir, "out-", ".log");
    Process p = pb.redirectOutput(out.toFile()).start();
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(command.get(0) + " timed out; output:\n" + Files.readString(out));
    }
    String output = Files.readString(out, StandardCharsets.UTF_8);
    if (p.exitValue() != 0 && !command.get(0).endsWith("java")) {
      throw new IllegalStateException(command + " exited " + p.exitValue() + ":\n" + output);
    }
    return output;
  }

  @Override
  public void interceptTestMethod(
      Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext context)
      throws Throwable {
    if (inChild()) {
      invocation.proceed();
      return;
    }
    invocation.skip();
    String missing = context.getStore(NS).get("missing", String.class);
    if (missing != null) {
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError("CI=true but " + missing);
      }
      throw new TestAbortedException(missing);
    }
    Outcome outcome = context.getStore(NS).get("outcome", Outcome.class);
    String name = context.getRequiredTestMethod().getName();
    String status = outcome.results().getProperty(name);
    if (status == null) {
      throw new AssertionError("child JVM did not report " + name + "; its output:\n" + outcome.log());
    }
    String detail = outcome.results().getProperty(name + ".detail", "");
    switch (status) {
      case "SUCCESSFUL" -> {}
      case "ABORTED" -> throw new TestAbortedException("in child JVM: " + detail);
      default -> throw new AssertionError("in child JVM (SOFTHSM2_CONF set):\n" + detail);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    Path dir = context.getStore(NS).get("dir", Path.class);
    if (dir == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      List<Path> all = new ArrayList<>(files.sorted(Comparator.reverseOrder()).toList());
      for (Path f : all) {
        try {
          Files.delete(f);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }
}
