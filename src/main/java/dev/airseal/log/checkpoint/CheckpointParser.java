package dev.airseal.log.checkpoint;

import dev.airseal.log.Rfc6962;
import dev.airseal.log.StrictBase64;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/** Reads the c2sp.org/tlog-checkpoint note text; see {@link Checkpoint#parse}. */
final class CheckpointParser {
  // SPEC: "the ASCII decimal representation of the number of leaves in the tree, with no leading
  // zeroes (unless the tree is empty, in which case the tree size is `0`)."
  private static final Pattern SIZE = Pattern.compile("0|[1-9][0-9]{0,18}");

  private CheckpointParser() {}

  static Checkpoint parse(String body) throws CheckpointFormatException {
    if (!body.endsWith("\n")) {
      throw new CheckpointFormatException("checkpoint text must end with a newline");
    }
    List<String> lines = Arrays.asList(body.substring(0, body.length() - 1).split("\n", -1));
    if (lines.size() < 3) {
      throw new CheckpointFormatException(
          "checkpoint has " + lines.size() + " lines, want origin, size and root hash");
    }
    // SPEC: "a sequence of at least three non-empty lines"; "Extension lines, if any, MUST be
    // non-empty."
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isEmpty()) {
        throw new CheckpointFormatException("checkpoint line " + (i + 1) + " is empty");
      }
    }
    return new Checkpoint(
        lines.get(0), size(lines.get(1)), rootHash(lines.get(2)), lines.subList(3, lines.size()));
  }

  private static long size(String line) throws CheckpointFormatException {
    if (!SIZE.matcher(line).matches()) {
      throw new CheckpointFormatException(
          "checkpoint size \"" + line + "\" is not a decimal number");
    }
    try {
      return Long.parseLong(line);
    } catch (NumberFormatException e) {
      // A log with more than 2^63 - 1 entries is not one we can verify.
      throw new CheckpointFormatException("checkpoint size " + line + " is too large", e);
    }
  }

  private static byte[] rootHash(String line) throws CheckpointFormatException {
    byte[] root;
    try {
      root = StrictBase64.decode(line);
    } catch (IllegalArgumentException e) {
      throw new CheckpointFormatException(
          "checkpoint root hash \"" + line + "\" is not base64: " + e.getMessage(), e);
    }
    if (root.length != Rfc6962.HASH_SIZE) {
      throw new CheckpointFormatException(
          "checkpoint root hash has " + root.length + " bytes, want " + Rfc6962.HASH_SIZE);
    }
    return root;
  }
}
