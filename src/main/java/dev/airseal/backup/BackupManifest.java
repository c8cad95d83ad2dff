package dev.airseal.backup;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The archive's {@code MANIFEST.sha256}: one {@code <hex>  <name>} line per file, the format
 * {@code sha256sum -c} checks, so an operator can check an unpacked backup without Airseal.
 */
public final class BackupManifest {
  public static final String NAME = "MANIFEST.sha256";
  private static final Pattern LINE = Pattern.compile("([0-9a-f]{64})  (\\S.*)");

  private final Map<String, String> sha256ByName;

  public BackupManifest(Map<String, String> sha256ByName) {
    this.sha256ByName = Collections.unmodifiableMap(new LinkedHashMap<>(sha256ByName));
  }

  public Map<String, String> files() {
    return sha256ByName;
  }

  public byte[] encode() {
    StringBuilder sb = new StringBuilder();
    sha256ByName.forEach((name, hex) -> sb.append(hex).append("  ").append(name).append('\n'));
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** @throws BackupException on any line that is not {@code <64 hex>  <name>}, or a repeated name */
  public static BackupManifest parse(byte[] text) {
    Map<String, String> out = new LinkedHashMap<>();
    int n = 0;
    for (String line : new String(text, StandardCharsets.UTF_8).split("\n", -1)) {
      n++;
      if (line.isEmpty()) {
        continue;
      }
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        throw new BackupException(NAME + " line " + n + " is not '<sha256 hex>  <name>': " + line);
      }
      if (out.put(m.group(2), m.group(1)) != null) {
        throw new BackupException(NAME + " names " + m.group(2) + " twice");
      }
    }
    return new BackupManifest(out);
  }
}
