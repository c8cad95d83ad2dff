package dev.airseal.cli;

import org.eclipse.microprofile.config.ConfigProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** A command group whose subcommands talk to the running service: its URL, a client, errors. */
abstract class ServiceCommandGroup {
  @Option(scope = ScopeType.INHERIT, names = "--url", description = "Service URL (default: airseal.api.url).")
  String url;

  LogClient client() {
    return new LogClient(url != null ? url
        : ConfigProvider.getConfig().getOptionalValue("airseal.api.url", String.class).orElse("http://127.0.0.1:8080"));
  }

  static int fail(Exception e) {
    // Connection failures carry no message; their type says what happened.
    System.err.println("error: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
    return 1;
  }
}
