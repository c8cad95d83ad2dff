package dev.airseal;

import io.quarkus.picocli.runtime.PicocliRunner;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.nio.file.Path;

/**
 * One jar, two faces. {@code serve} runs the service; every other command is a short-lived client
 * that must not open the listener or the database (the service holds its lock), so it runs in the
 * {@code cli} profile.
 */
@QuarkusMain
public final class Main {
  private Main() {}

  // H2 refuses database paths that are implicitly relative ("data/db"); resolve the data directory
  // given on the command line or in the environment against the working directory once, here.
  private static void absoluteDataDir() {
    String dir = System.getProperty("airseal.data-dir", System.getenv("AIRSEAL_DATA_DIR"));
    if (dir != null && !dir.isBlank()) {
      System.setProperty("airseal.data-dir", Path.of(dir).toAbsolutePath().normalize().toString());
    }
  }

  public static void main(String... args) {
    boolean serve = args.length > 0 && "serve".equals(args[0]);
    if (!serve
        && System.getProperty("quarkus.profile") == null
        && System.getenv("QUARKUS_PROFILE") == null) {
      System.setProperty("quarkus.profile", "cli");
    }
    absoluteDataDir();
    Quarkus.run(PicocliRunner.class, args);
  }
}
