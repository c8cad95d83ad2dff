package dev.airseal.signing.soft;

/**
 * scrypt cost parameters of an encrypted key file. The bounds are ours, not the file's: a key file
 * is untrusted input, and scrypt needs 128·N·r bytes of memory and p times that much work, so a
 * hostile file naming N = 2^30 would exhaust the heap before the password could even be checked.
 * Every parameter set cosign and go-securesystemslib write (N = 2^15 to 2^17, r = 8, p = 1) fits.
 */
public record ScryptParams(int n, int r, int p) {
  /** What Airseal writes: go-securesystemslib's "legacy" set, readable by every cosign 1.x/2.x. */
  public static final ScryptParams DEFAULT = new ScryptParams(32768, 8, 1);

  static final int MAX_N = 1 << 20;
  static final int MAX_R = 32;
  static final int MAX_P = 16;
  static final long MAX_MEMORY_BYTES = 256L << 20;

  public ScryptParams {
    if (n < 2 || n > MAX_N || Integer.bitCount(n) != 1) {
      throw new IllegalArgumentException("scrypt N=" + n + " is not a power of two in [2, 2^20]");
    }
    if (r < 1 || r > MAX_R || p < 1 || p > MAX_P) {
      throw new IllegalArgumentException(
          "scrypt r="
              + r
              + ", p="
              + p
              + " outside r in [1, "
              + MAX_R
              + "], p in [1, "
              + MAX_P
              + "]");
    }
    if (memoryBytes(n, r) > MAX_MEMORY_BYTES) {
      throw new IllegalArgumentException(
          "scrypt N="
              + n
              + ", r="
              + r
              + " needs "
              + (memoryBytes(n, r) >> 20)
              + " MiB (limit 256)");
    }
  }

  private static long memoryBytes(int n, int r) {
    return 128L * n * r;
  }
}
