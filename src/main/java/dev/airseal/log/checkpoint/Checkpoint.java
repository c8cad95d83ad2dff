package dev.airseal.log.checkpoint;

import java.util.Base64;
import java.util.List;

/**
 * The body of a C2SP tlog-checkpoint: origin, decimal tree size, base64 root hash, then optional
 * extension lines. Rekor v1 writes the origin as {@code <hostname> - <treeID>}.
 */
// SPEC: https://c2sp.org/tlog-checkpoint
public record Checkpoint(String origin, long size, byte[] rootHash, List<String> extensions) {

  public Checkpoint {
    if (origin == null || origin.isEmpty() || origin.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("checkpoint origin must be one non-empty line");
    }
    if (size < 0) {
      throw new IllegalArgumentException("checkpoint size must not be negative: " + size);
    }
    if (rootHash == null || rootHash.length != 32) {
      throw new IllegalArgumentException("checkpoint root hash must be 32 bytes");
    }
    extensions = List.copyOf(extensions);
  }

  public Checkpoint(String origin, long size, byte[] rootHash) {
    this(origin, size, rootHash, List.of());
  }

  /**
   * Parses checkpoint note text: origin, decimal size without leading zeros or sign, base64 32-byte
   * root hash, then optional non-empty extension lines; every line ends in a newline. Parse only
   * text whose signature has been verified, e.g. through {@link Checkpoints#verify}.
   */
  public static Checkpoint parse(String body) throws CheckpointFormatException {
    return CheckpointParser.parse(body);
  }

  /** The note text: every line ends in a newline, as signed-note requires. */
  public String body() {
    StringBuilder sb = new StringBuilder();
    sb.append(origin).append('\n');
    sb.append(size).append('\n');
    sb.append(Base64.getEncoder().encodeToString(rootHash)).append('\n');
    for (String e : extensions) {
      sb.append(e).append('\n');
    }
    return sb.toString();
  }
}
