package dev.airseal;

import io.quarkus.picocli.runtime.PicocliRunner;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * One jar, two faces. {@code serve} runs the service; every other command is a short-lived client
 * that must not open the listener or the database (the service holds its lock), so it runs in the
 * {@code cli} profile.
 */
@QuarkusMain
public final class Main {
  private Main() {}

  public static void main(String... args) {
    boolean serve = args.length > 0 && "serve".equals(args[0]);
    if (!serve
        && System.getProperty("quarkus.profile") == null
        && System.getenv("QUARKUS_PROFILE") == null) {
      System.setProperty("quarkus.profile", "cli");
    }
    Quarkus.run(PicocliRunner.class, args);
  }
}
