package dev.airseal.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The lines every bench prints first: how busy the machine was and what it is. */
final class Machine {
  private Machine() {}

  /** The load averages now, as {@code /proc/loadavg} gives them, or empty when not on Linux. */
  static String load() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).strip();
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  static void describe(PrintStream out) {
    Runtime rt = Runtime.getRuntime();
    try {
      // The machine may be shared: say how busy it was when we started.
      String load = Files.readString(Path.of("/proc/loadavg")).strip();
      out.println("  load avg  : " + load + " (1, 5, 15 min; runnable/threads; last pid)");
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    out.printf(
        Locale.ROOT,
        "  machine   : %d cores, %s %s (%s), max heap %d MiB, %s %s%n",
        rt.availableProcessors(),
        System.getProperty("java.vm.name"),
        System.getProperty("java.vm.version"),
        System.getProperty("java.vm.vendor"),
        rt.maxMemory() >> 20,
        System.getProperty("os.name"),
        System.getProperty("os.arch"));
  }
}
