package dev.airseal.verify;

import java.time.Instant;

/**
 * An upstream log's checkpoint whose signature a log key of the trust root verified, valid at
 * {@code time}. Plain values only, so that callers need nothing from the log packages.
 *
 * @param rootHash the 32-byte root hash
 * @param note the signed note exactly as carried
 * @param time the checkpoint's own {@code Timestamp:} line, else when the producer fetched it
 * @param logBaseUrl the base URL the trust root gives for the log whose key signed it
 */
public record TrustedCheckpoint(String origin, long size, byte[] rootHash, String note, Instant time,
    String logBaseUrl) {
  public TrustedCheckpoint {
    rootHash = rootHash.clone();
  }

  @Override
  public byte[] rootHash() {
    return rootHash.clone();
  }
}
