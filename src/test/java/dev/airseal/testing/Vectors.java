package dev.airseal.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Third-party vector suites live outside the repository, in the directory named by the system
 * property {@code vectors.dir} (surefire sets it; default {@code ../shared/vectors}).
 */
public final class Vectors {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Vectors() {}

  /**
   * The directory of {@code suite}. When it is absent the calling test is skipped with the reason
   * printed, except under {@code CI=true}: a CI run without its vectors would pass while proving
   * nothing, so there it fails.
   */
  public static Path dir(String suite) {
    Path root = Path.of(System.getProperty("vectors.dir", "../shared/vectors"));
    Path dir = root.resolve(suite);
    if (!Files.isDirectory(dir)) {
      String reason = "vector suite " + suite + " not found at " + dir.toAbsolutePath();
      if ("true".equals(System.getenv("CI"))) {
        Assertions.fail(reason + " (CI=true: vectors are required)");
      }
      System.out.println("SKIPPED: " + reason);
      Assumptions.abort(reason);
    }
    return dir;
  }

  public static JsonNode json(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String text(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
