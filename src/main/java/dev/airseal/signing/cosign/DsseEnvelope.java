package dev.airseal.signing.cosign;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.signing.Signer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A DSSE envelope with one signature over PAE(payloadType, payload). */
// SPEC: https://github.com/secure-systems-lab/dsse/blob/master/protocol.md
public record DsseEnvelope(String payloadType, byte[] payload, byte[] signature) {
  public static final String MEDIA_TYPE = "application/vnd.dsse.envelope.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** PAE = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, lengths in ASCII decimal bytes. */
  public static byte[] pae(String payloadType, byte[] payload) {
    byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(("DSSEv1 " + type.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(type);
    out.writeBytes((" " + payload.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(payload);
    return out.toByteArray();
  }

  public static DsseEnvelope sign(Signer signer, String payloadType, byte[] payload) {
    return new DsseEnvelope(payloadType, payload, signer.sign(pae(payloadType, payload)));
  }

  /** The envelope JSON as cosign writes it: payloadType, payload, signatures[{keyid, sig}]. */
  public byte[] json() {
    ObjectNode n = JSON.createObjectNode();
    n.put("payloadType", payloadType);
    n.put("payload", Base64.getEncoder().encodeToString(payload));
    n.putArray("signatures").addObject().put("keyid", "").put("sig", Base64.getEncoder().encodeToString(signature));
    return n.toString().getBytes(StandardCharsets.UTF_8);
  }
}
