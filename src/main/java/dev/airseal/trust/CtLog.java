package dev.airseal.trust;

import java.security.PublicKey;
import java.util.Objects;

/**
 * A certificate transparency log the root trusts (an entry of {@code ctlogs}).
 *
 * @param logId RFC 6962 log ID: SHA-256 of the DER SubjectPublicKeyInfo
 * @param hashAlgorithm protobuf enum name, e.g. {@code SHA2_256}
 * @param keyDetails protobuf enum name, e.g. {@code PKIX_ECDSA_P256_SHA_256}
 * @param rawPublicKey the key bytes as the root holds them
 * @param operator trusted root v0.2, or null
 */
public record CtLog(
    String baseUrl,
    PublicKey publicKey,
    byte[] logId,
    ValidFor validFor,
    String hashAlgorithm,
    String keyDetails,
    byte[] rawPublicKey,
    String operator) {
  public CtLog {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(validFor, "validFor");
    Objects.requireNonNull(hashAlgorithm, "hashAlgorithm");
    Objects.requireNonNull(keyDetails, "keyDetails");
    logId = Objects.requireNonNull(logId, "logId").clone();
    rawPublicKey = Objects.requireNonNull(rawPublicKey, "rawPublicKey").clone();
  }

  /** A SHA-256 CT log whose key is stored as its SubjectPublicKeyInfo. */
  public CtLog(String baseUrl, PublicKey publicKey, byte[] logId, ValidFor validFor) {
    this(
        baseUrl,
        publicKey,
        logId,
        validFor,
        "SHA2_256",
        KeyDetails.of(publicKey),
        publicKey.getEncoded(),
        null);
  }

  @Override
  public byte[] logId() {
    return logId.clone();
  }

  @Override
  public byte[] rawPublicKey() {
    return rawPublicKey.clone();
  }
}
