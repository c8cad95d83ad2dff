package dev.airseal.oci;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** An OCI content digest; only sha256, which every registry and cosign use. */
public record Digest(String algorithm, String hex) {
  public Digest {
    if (!"sha256".equals(algorithm) || !isLowerHex64(hex)) {
      throw new IllegalArgumentException("not a sha256 digest: " + algorithm + ":" + hex);
    }
  }

  // A loop, not a regular expression: admission parses several digests per request.
  private static boolean isLowerHex64(String hex) {
    if (hex == null || hex.length() != 64) {
      return false;
    }
    for (int i = 0; i < 64; i++) {
      char c = hex.charAt(i);
      if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
        return false;
      }
    }
    return true;
  }

  public static Digest parse(String s) {
    int colon = s == null ? -1 : s.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("digest must look like sha256:<64 hex>, got " + s);
    }
    return new Digest(s.substring(0, colon), s.substring(colon + 1));
  }

  public static Digest of(byte[] content) {
    try {
      return new Digest(
          "sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public byte[] bytes() {
    return HexFormat.of().parseHex(hex);
  }

  /** cosign's tag prefix for artefacts attached to this digest: {@code sha256-<hex>}. */
  public String cosignTagPrefix() {
    return algorithm + "-" + hex;
  }

  @Override
  public String toString() {
    return algorithm + ":" + hex;
  }
}
