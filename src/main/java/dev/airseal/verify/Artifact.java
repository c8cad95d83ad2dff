package dev.airseal.verify;

import dev.airseal.log.Hex;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Optional;

/**
 * What a bundle is supposed to sign: the artifact's bytes, or only its SHA-256 digest (as the
 * sigstore-conformance CLI passes {@code sha256:<hex>}). With bytes, any digest algorithm the
 * signature uses can be computed; with a digest, only SHA-256 can be compared.
 */
public final class Artifact {
  private final byte[] bytes;
  private final byte[] sha256;

  private Artifact(byte[] bytes, byte[] sha256) {
    this.bytes = bytes;
    this.sha256 = sha256;
  }

  public static Artifact ofBytes(byte[] bytes) {
    byte[] copy = bytes.clone();
    return new Artifact(copy, Digests.digest("SHA-256", copy));
  }

  public static Artifact ofSha256(byte[] digest) {
    if (digest == null || digest.length != 32) {
      throw new IllegalArgumentException(
          "a SHA-256 digest has 32 bytes, got " + (digest == null ? 0 : digest.length));
    }
    return new Artifact(null, digest.clone());
  }

  /** Parses {@code sha256:<64 hex digits>}. */
  public static Artifact ofDigestString(String digest) {
    if (!digest.startsWith("sha256:") || !Hex.isHex(digest.substring(7), 64)) {
      throw new IllegalArgumentException("expected sha256:<64 hex digits>, got \"" + digest + "\"");
    }
    return ofSha256(Hex.decode(digest.substring(7)));
  }

  public byte[] sha256() {
    return sha256.clone();
  }

  public Optional<byte[]> bytes() {
    return Optional.ofNullable(bytes).map(byte[]::clone);
  }

  /**
   * The artifact's digest under {@code jcaAlgorithm} (e.g. {@code SHA-384}), or empty when only
   * the SHA-256 digest is known and another algorithm is asked for.
   */
  public Optional<byte[]> digest(String jcaAlgorithm) {
    if ("SHA-256".equals(jcaAlgorithm)) {
      return Optional.of(sha256());
    }
    if (bytes == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(MessageDigest.getInstance(jcaAlgorithm).digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return "sha256:" + Hex.encode(sha256) + (bytes == null ? "" : " (" + bytes.length + " bytes)");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Artifact a && Arrays.equals(sha256, a.sha256);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(sha256);
  }
}
