package dev.airseal.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.signing.Signer;
import dev.airseal.signing.cosign.DsseEnvelope;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The DSSE envelope around the transfer statement. Signing goes through the signer SPI (file,
 * PKCS#11, KMS); verification tries each trusted key and names the one that verified.
 */
// SPEC: https://github.com/secure-systems-lab/dsse/blob/master/protocol.md
public final class TransferEnvelope {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TransferEnvelope() {}

  public static byte[] sign(Signer signer, byte[] statement) {
    byte[] sig = signer.sign(DsseEnvelope.pae(TransferFormat.PAYLOAD_TYPE, statement));
    ObjectNode n = JSON.createObjectNode();
    n.put("payloadType", TransferFormat.PAYLOAD_TYPE);
    n.put("payload", Base64.getEncoder().encodeToString(statement));
    n.putArray("signatures").addObject()
        .put("keyid", TransferKey.keyId(signer.publicKey()))
        .put("sig", Base64.getEncoder().encodeToString(sig));
    return n.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The statement bytes and the trusted key whose signature verified them. */
  public record Verified(byte[] statement, TransferKey key) {}

  public static Verified verify(byte[] envelope, List<TransferKey> trusted)
      throws BundleFormatException, TransferRejectedException {
    JsonNode n;
    try {
      n = JSON.readTree(envelope);
    } catch (IOException e) {
      throw new BundleFormatException("transfer envelope is not JSON: " + e.getMessage());
    }
    if (n == null || !TransferFormat.PAYLOAD_TYPE.equals(n.path("payloadType").asText(null))) {
      throw new BundleFormatException("transfer envelope payloadType must be " + TransferFormat.PAYLOAD_TYPE);
    }
    byte[] payload;
    try {
      payload = Base64.getDecoder().decode(n.path("payload").asText(""));
    } catch (IllegalArgumentException e) {
      throw new BundleFormatException("transfer envelope payload is not base64");
    }
    JsonNode sigs = n.path("signatures");
    if (!sigs.isArray() || sigs.isEmpty()) {
      throw new BundleFormatException("transfer envelope has no signatures");
    }
    byte[] pae = DsseEnvelope.pae(TransferFormat.PAYLOAD_TYPE, payload);
    for (JsonNode s : sigs) {
      byte[] sig;
      try {
        sig = Base64.getDecoder().decode(s.path("sig").asText(""));
      } catch (IllegalArgumentException e) {
        continue;
      }
      Optional<TransferKey> hit = trusted.stream().filter(k -> k.verifies(pae, sig)).findFirst();
      if (hit.isPresent()) {
        return new Verified(payload, hit.get());
      }
    }
    String ids = sigs.findValuesAsText("keyid").toString();
    throw new TransferRejectedException("the transfer signature (key id " + ids
        + ") does not verify with any trusted transfer key (" + trusted.size() + " trusted)");
  }
}
