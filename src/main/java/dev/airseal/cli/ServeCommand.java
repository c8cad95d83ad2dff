package dev.airseal.cli;

import io.quarkus.runtime.Quarkus;
import picocli.CommandLine.Command;

@Command(name = "serve", description = "Run the service (log, APIs) until stopped.")
public class ServeCommand implements Runnable {
  @Override
  public void run() {
    Quarkus.waitForExit();
  }
}
