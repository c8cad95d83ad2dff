package dev.airseal.log.rekor.kind;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.log.Hex;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * dsse 0.0.1: a DSSE envelope and the keys that verify it.
 *
 * <p>Upstream: sigstore/rekor pkg/types/dsse/v0.0.1/entry.go. The log keeps only hashes of the
 * envelope (of the exact string the client sent) and of the payload, plus each signature with the
 * canonical PEM of the key that verified it, sorted by signature.
 */
final class DsseV001 {
  static final String KIND = "dsse";
  static final String VERSION = "0.0.1";
  private static final ObjectMapper JSON = new ObjectMapper();

  private DsseV001() {}

  static CanonicalEntry canonicalize(JsonNode spec) throws InvalidEntryException {
    for (String serverSide : List.of("envelopeHash", "payloadHash", "signatures")) {
      if (spec.hasNonNull(serverSide)) {
        throw new InvalidEntryException(
            "spec." + serverSide + " is computed by the log and must not be sent");
      }
    }
    JsonNode proposed = Fields.object(spec, "proposedContent", "spec.proposedContent");
    String envelopeText = Fields.text(proposed, "envelope", "spec.proposedContent.envelope");
    JsonNode verifiers = Fields.array(proposed, "verifiers", "spec.proposedContent.verifiers");
    List<RekorKey> keys = new ArrayList<>();
    for (int i = 0; i < verifiers.size(); i++) {
      String path = "spec.proposedContent.verifiers[" + i + "]";
      if (!verifiers.get(i).isTextual()) {
        throw new InvalidEntryException(path + " must be a base64 string");
      }
      keys.add(RekorKey.parse(Fields.base64(verifiers.get(i).textValue(), path), path));
    }

    Dsse.Envelope env = parseEnvelope(envelopeText);
    Map<String, RekorKey> bySig = Dsse.verify(keys, env);
    byte[] payload = Dsse.b64Decode(env.payload(), "envelope payload");
    String payloadHash = Hex.encode(HashAlgorithm.SHA256.digest(payload));
    String envelopeHash =
        Hex.encode(HashAlgorithm.SHA256.digest(envelopeText.getBytes(StandardCharsets.UTF_8)));

    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode canonicalSpec = f.objectNode();
    canonicalSpec.putObject("envelopeHash").put("algorithm", "sha256").put("value", envelopeHash);
    canonicalSpec.putObject("payloadHash").put("algorithm", "sha256").put("value", payloadHash);
    ArrayNode signatures = canonicalSpec.putArray("signatures");
    List<String> indexKeys = new ArrayList<>();
    // Go's sort.Strings orders bytes; base64 is ASCII, so String order is the same.
    for (Map.Entry<String, RekorKey> e : new TreeMap<>(bySig).entrySet()) {
      byte[] pem = e.getValue().canonicalPem();
      signatures
          .addObject()
          .put("signature", e.getKey())
          .put("verifier", Base64.getEncoder().encodeToString(pem));
      indexKeys.add("sha256:" + Hex.encode(HashAlgorithm.SHA256.digest(pem)));
      indexKeys.addAll(e.getValue().subjects());
    }
    indexKeys.add("sha256:" + payloadHash);
    indexKeys.add("sha256:" + envelopeHash);
    indexKeys.addAll(InTotoStatements.digestKeys(env.payloadType(), payload));
    return EntryTypes.entry(KIND, VERSION, canonicalSpec, indexKeys);
  }

  /** Reads the envelope the way Go's json.Unmarshal fills go-securesystemslib's dsse.Envelope. */
  private static Dsse.Envelope parseEnvelope(String text) throws InvalidEntryException {
    String path = "spec.proposedContent.envelope";
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new InvalidEntryException(path + " is not valid JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new InvalidEntryException(path + " must be a JSON object");
    }
    String payloadType = Fields.optionalText(node, "payloadType", path + ".payloadType");
    String payload = Fields.optionalText(node, "payload", path + ".payload");
    List<Dsse.Sig> sigs = new ArrayList<>();
    JsonNode array = node.get("signatures");
    if (array != null && !array.isNull()) {
      if (!array.isArray()) {
        throw new InvalidEntryException(path + ".signatures must be an array");
      }
      for (int i = 0; i < array.size(); i++) {
        JsonNode s = array.get(i);
        String p = path + ".signatures[" + i + "]";
        if (!s.isObject()) {
          throw new InvalidEntryException(p + " must be an object");
        }
        String keyid = Fields.optionalText(s, "keyid", p + ".keyid");
        String sig = Fields.optionalText(s, "sig", p + ".sig");
        sigs.add(new Dsse.Sig(keyid == null ? "" : keyid, sig == null ? "" : sig));
      }
    }
    return new Dsse.Envelope(
        payloadType == null ? "" : payloadType, payload == null ? "" : payload, sigs);
  }
}
