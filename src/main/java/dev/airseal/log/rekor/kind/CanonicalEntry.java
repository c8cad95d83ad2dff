package dev.airseal.log.rekor.kind;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An entry as the log stores it.
 *
 * @param kind Rekor type, e.g. {@code hashedrekord}
 * @param apiVersion version of that type, e.g. {@code 0.0.1}
 * @param body the canonical JSON Rekor would store; the leaf hash is SHA-256(0x00 || body)
 * @param indexKeys the search-index keys Rekor's {@code IndexKeys()} would return for the entry
 */
public record CanonicalEntry(String kind, String apiVersion, byte[] body, List<String> indexKeys) {
  public CanonicalEntry {
    if (kind == null || kind.isEmpty()) {
      throw new IllegalArgumentException("kind is empty");
    }
    if (apiVersion == null || apiVersion.isEmpty()) {
      throw new IllegalArgumentException("apiVersion is empty");
    }
    if (body == null || body.length == 0) {
      throw new IllegalArgumentException("body is empty");
    }
    body = body.clone();
    indexKeys = List.copyOf(Objects.requireNonNull(indexKeys, "indexKeys"));
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CanonicalEntry e
        && kind.equals(e.kind)
        && apiVersion.equals(e.apiVersion)
        && Arrays.equals(body, e.body)
        && indexKeys.equals(e.indexKeys);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, apiVersion, Arrays.hashCode(body), indexKeys);
  }

  @Override
  public String toString() {
    return "CanonicalEntry[" + kind + " " + apiVersion + ", " + body.length + " bytes]";
  }
}
