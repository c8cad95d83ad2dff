package dev.airseal.log.rekor;

import dev.airseal.log.Hex;
import java.util.Locale;

/**
 * Rekor v1 entry UUIDs: 16 hex digits of tree ID followed by the 64-hex leaf hash (80 in all).
 * Clients may also name an entry by its leaf hash alone (64 hex).
 */
public final class EntryIds {
  private EntryIds() {}

  public static String of(long treeId, byte[] leafHash) {
    return String.format(Locale.ROOT, "%016x", treeId) + Hex.encode(leafHash);
  }

  /** The parsed form of a UUID a client sent. */
  public record Parsed(Long treeId, byte[] leafHash) {}

  /** Parses a 64- or 80-hex UUID; throws {@link IllegalArgumentException} with the reason. */
  public static Parsed parse(String uuid) {
    if (uuid == null) {
      throw new IllegalArgumentException("missing entry UUID");
    }
    String u = uuid.toLowerCase(Locale.ROOT);
    if (Hex.isHex(u, 64)) {
      return new Parsed(null, Hex.decode(u));
    }
    if (Hex.isHex(u, 80)) {
      return new Parsed(Long.parseUnsignedLong(u.substring(0, 16), 16), Hex.decode(u.substring(16)));
    }
    throw new IllegalArgumentException(
        "entry UUID must be 64 or 80 hexadecimal characters, got " + Math.min(u.length(), 200));
  }
}
