package dev.airseal.admission;

import dev.airseal.policy.PolicyDocument;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The {@code *.yaml}/{@code *.yml} files of {@code airseal.policy.dir}, and a cheap change check. */
public final class PolicyDirectory {
  private static final long MAX_FILE = 1L << 20;

  private final Path dir;

  public PolicyDirectory(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  private List<Path> files() throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException("airseal.policy.dir " + dir + " is not a directory");
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> {
        String n = p.getFileName().toString();
        return Files.isRegularFile(p) && !n.startsWith(".") && (n.endsWith(".yaml") || n.endsWith(".yml"));
      }).sorted().toList();
    }
  }

  /** Names, sizes and modification times: changes when any file is added, removed or edited. */
  public String fingerprint() throws IOException {
    StringBuilder sb = new StringBuilder();
    for (Path p : files()) {
      sb.append(p.getFileName()).append('|').append(Files.size(p)).append('|')
          .append(Files.getLastModifiedTime(p).toMillis()).append('\n');
    }
    return sb.toString();
  }

  public List<PolicyDocument> read() throws IOException {
    List<PolicyDocument> out = new ArrayList<>();
    for (Path p : files()) {
      if (Files.size(p) > MAX_FILE) {
        throw new IOException(p + " is larger than 1 MiB; not a policy file");
      }
      out.add(new PolicyDocument(p.getFileName().toString(), "dir " + dir, Files.readString(p, StandardCharsets.UTF_8)));
    }
    return out;
  }
}
