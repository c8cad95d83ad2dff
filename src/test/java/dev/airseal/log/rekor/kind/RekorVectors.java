package dev.airseal.log.rekor.kind;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the third-party vectors: system property {@code vectors.dir} (surefire sets it),
 * default {@code ../shared/vectors}. Missing vectors skip the suite with a printed reason, except
 * under CI ({@code CI=true}), where a silently skipped suite would prove nothing.
 */
final class RekorVectors {
  private RekorVectors() {}

  static Path dir() {
    Path dir = Path.of(System.getProperty("vectors.dir", "../shared/vectors"));
    if (!Files.isDirectory(dir.resolve("rekor"))) {
      String reason = "vectors not found at " + dir.toAbsolutePath() + " (set -Dvectors.dir)";
      if ("true".equals(System.getenv("CI"))) {
        fail(reason);
      }
      System.out.println("SKIP: " + reason);
      Assumptions.abort(reason);
    }
    return dir;
  }
}
