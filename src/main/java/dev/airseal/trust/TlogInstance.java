package dev.airseal.trust;

import java.security.PublicKey;
import java.util.Objects;

/**
 * A transparency log the root trusts ({@code TransparencyLogInstance}).
 *
 * @param hashAlgorithm protobuf enum name, e.g. {@code SHA2_256}
 * @param keyDetails protobuf enum name, e.g. {@code PKIX_ECDSA_P256_SHA_256}
 * @param rawPublicKey the key bytes as the root holds them (kept for log-ID and round trips)
 * @param logId Rekor v1 log ID: SHA-256 of the DER public key
 * @param checkpointKeyId Rekor v2 checkpoint key ID ({@code checkpointKeyId.keyId}), or null
 * @param operator who runs the log (trusted root v0.2), or null
 */
public record TlogInstance(
    String baseUrl,
    String hashAlgorithm,
    PublicKey publicKey,
    String keyDetails,
    byte[] rawPublicKey,
    ValidFor validFor,
    byte[] logId,
    byte[] checkpointKeyId,
    String operator) {
  public TlogInstance {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(hashAlgorithm, "hashAlgorithm");
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(keyDetails, "keyDetails");
    Objects.requireNonNull(validFor, "validFor");
    rawPublicKey = Objects.requireNonNull(rawPublicKey, "rawPublicKey").clone();
    logId = Objects.requireNonNull(logId, "logId").clone();
    checkpointKeyId = checkpointKeyId == null ? null : checkpointKeyId.clone();
  }

  @Override
  public byte[] rawPublicKey() {
    return rawPublicKey.clone();
  }

  @Override
  public byte[] logId() {
    return logId.clone();
  }

  @Override
  public byte[] checkpointKeyId() {
    return checkpointKeyId == null ? null : checkpointKeyId.clone();
  }
}
