package dev.airseal.oci;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** An OCI content digest; only sha256, which every registry and cosign use. */
public record Digest(String algorithm, String hex) {
  private static final Pattern SHA256 = Pattern.compile("[a-f0-9]{64}");

  public Digest {
    if (!"sha256".equals(algorithm) || !SHA256.matcher(hex).matches()) {
      throw new IllegalArgumentException("not a sha256 digest: " + algorithm + ":" + hex);
    }
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
