package dev.airseal.log.rekor;

import dev.airseal.signing.Signer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Rekor v1's promise of inclusion: a signature over the RFC 8785 canonical JSON of {@code {body,
 * integratedTime, logID, logIndex}}. Keys are in canonical order already and the values are
 * base64, hex and integers, so no escaping can arise.
 */
public final class SignedEntryTimestamp {
  private SignedEntryTimestamp() {}

  public static byte[] payload(byte[] body, long integratedTime, String logIdHex, long logIndex) {
    String json =
        "{\"body\":\""
            + Base64.getEncoder().encodeToString(body)
            + "\",\"integratedTime\":"
            + integratedTime
            + ",\"logID\":\""
            + logIdHex
            + "\",\"logIndex\":"
            + logIndex
            + "}";
    return json.getBytes(StandardCharsets.UTF_8);
  }

  public static byte[] sign(
      Signer signer, byte[] body, long integratedTime, String logIdHex, long logIndex) {
    return signer.sign(payload(body, integratedTime, logIdHex, logIndex));
  }
}
