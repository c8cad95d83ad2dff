package dev.airseal.bundle;

/**
 * What one bundle may hold, so that hostile input is refused before it costs memory or disk.
 *
 * @param maxBytes largest uncompressed archive, and largest single entry
 * @param maxRatio largest expansion of a compressed archive (uncompressed / compressed)
 * @param maxEntries most archive entries
 * @param maxEvidenceBytes most bytes of non-image blobs, which import holds in memory
 * @param maxEvidenceBlob largest single non-image blob
 */
public record BundleLimits(long maxBytes, long maxRatio, long maxEntries, long maxEvidenceBytes, long maxEvidenceBlob) {
  public static final long MAX_HEADER_BLOB = 64L << 20;

  public static BundleLimits defaults() {
    return new BundleLimits(64L << 30, 100, 2_000_000, 1L << 30, 32L << 20);
  }
}
