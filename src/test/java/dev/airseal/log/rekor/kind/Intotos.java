package dev.airseal.log.rekor.kind;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.log.Hex;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Builds intoto 0.0.2 proposed entries the way rekor-cli's CreateFromArtifactProperties does. */
final class Intotos {
  private Intotos() {}

  /** One key per envelope signature, in order. */
  static ObjectNode proposed(String envelopeJson, String... pems) throws Exception {
    JsonNode env = Fixtures.JSON.readTree(envelopeJson);
    ObjectNode e = Fixtures.JSON.createObjectNode().put("apiVersion", "0.0.2").put("kind", "intoto");
    ObjectNode content = e.putObject("spec").putObject("content");
    ObjectNode envelope = content.putObject("envelope");
    envelope.put("payload", Fixtures.b64(env.get("payload").textValue()));
    envelope.put("payloadType", env.get("payloadType").textValue());
    for (int i = 0; i < env.get("signatures").size(); i++) {
      JsonNode s = env.get("signatures").get(i);
      ObjectNode o = envelope.withArray("signatures").addObject();
      if (!s.path("keyid").asText("").isEmpty()) {
        o.put("keyid", s.get("keyid").textValue());
      }
      o.put("sig", Fixtures.b64(s.get("sig").textValue()));
      o.put("publicKey", Fixtures.b64(pems[i]));
    }
    content
        .putObject("hash")
        .put("algorithm", "sha256")
        .put("value", Hex.encode(MessageDigest.getInstance("SHA-256").digest(envelopeJson.getBytes(StandardCharsets.UTF_8))));
    return e;
  }
}
