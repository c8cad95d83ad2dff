package dev.airseal.log.rekor.kind;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.log.Hex;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * intoto 0.0.2: a DSSE envelope carried inline, each signature with its own key.
 *
 * <p>Upstream: sigstore/rekor pkg/types/intoto/v0.0.2/entry.go. The spec's {@code payload} and
 * {@code sig} fields are base64 of the envelope's (already base64) strings. The stored entry drops
 * the payload, keeps each signature's key as the client sent it (not canonicalized), keeps the
 * client's envelope hash (Rekor cannot recompute it), and adds the payload hash.
 */
final class IntotoV002 {
  static final String KIND = "intoto";
  static final String VERSION = "0.0.2";

  private IntotoV002() {}

  static CanonicalEntry canonicalize(JsonNode spec) throws InvalidEntryException {
    JsonNode content = Fields.object(spec, "content", "spec.content");
    JsonNode envelope = Fields.object(content, "envelope", "spec.content.envelope");
    String payloadType =
        Fields.text(envelope, "payloadType", "spec.content.envelope.payloadType");
    // Empty payloads are refused by Rekor's Insertable(), before any signature check.
    String payload =
        new String(
            Fields.base64(envelope, "payload", "spec.content.envelope.payload"),
            StandardCharsets.ISO_8859_1);
    JsonNode sigNodes = Fields.array(envelope, "signatures", "spec.content.envelope.signatures");

    List<Dsse.Sig> sigs = new ArrayList<>();
    List<RekorKey> keys = new ArrayList<>();
    List<byte[]> rawKeys = new ArrayList<>();
    List<byte[]> rawSigs = new ArrayList<>();
    for (int i = 0; i < sigNodes.size(); i++) {
      String path = "spec.content.envelope.signatures[" + i + "]";
      JsonNode s = sigNodes.get(i);
      if (!s.isObject()) {
        throw new InvalidEntryException(path + " must be an object");
      }
      byte[] sig = Fields.base64(s, "sig", path + ".sig");
      byte[] key = Fields.base64(s, "publicKey", path + ".publicKey");
      String keyid = Fields.optionalText(s, "keyid", path + ".keyid");
      sigs.add(new Dsse.Sig(keyid == null ? "" : keyid, new String(sig, StandardCharsets.ISO_8859_1)));
      keys.add(RekorKey.parse(key, path + ".publicKey"));
      rawKeys.add(key);
      rawSigs.add(sig);
    }

    JsonNode hash = Fields.object(content, "hash", "spec.content.hash");
    String algorithm = Fields.text(hash, "algorithm", "spec.content.hash.algorithm");
    if (!"sha256".equals(algorithm)) {
      throw new InvalidEntryException(
          "spec.content.hash.algorithm must be sha256, got \"" + algorithm + "\"");
    }
    String value = Fields.text(hash, "value", "spec.content.hash.value");
    if (!Hex.isHex(value, 64)) {
      throw new InvalidEntryException(
          "spec.content.hash.value must be 64 hex characters, got " + value.length());
    }

    Dsse.verify(keys, new Dsse.Envelope(payloadType, payload, sigs));
    // Rekor hashes the payload through base64.StdEncoding, so the URL alphabet fails here.
    byte[] payloadBytes = Fields.base64(payload, "spec.content.envelope.payload (inner base64)");
    String payloadHash = Hex.encode(HashAlgorithm.SHA256.digest(payloadBytes));

    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode canonicalSpec = f.objectNode();
    ObjectNode canonicalContent = canonicalSpec.putObject("content");
    ObjectNode canonicalEnvelope = canonicalContent.putObject("envelope");
    canonicalEnvelope.put("payloadType", payloadType);
    ArrayNode canonicalSigs = canonicalEnvelope.putArray("signatures");
    List<String> indexKeys = new ArrayList<>();
    Base64.Encoder b64 = Base64.getEncoder();
    for (int i = 0; i < sigs.size(); i++) {
      ObjectNode s = canonicalSigs.addObject();
      if (!sigs.get(i).keyid().isEmpty()) {
        s.put("keyid", sigs.get(i).keyid());
      }
      s.put("publicKey", b64.encodeToString(rawKeys.get(i)));
      s.put("sig", b64.encodeToString(rawSigs.get(i)));
      indexKeys.add("sha256:" + Hex.encode(HashAlgorithm.SHA256.digest(keys.get(i).canonicalPem())));
      indexKeys.addAll(keys.get(i).subjects());
    }
    canonicalContent.putObject("hash").put("algorithm", algorithm).put("value", value);
    canonicalContent.putObject("payloadHash").put("algorithm", "sha256").put("value", payloadHash);
    indexKeys.add("sha256:" + payloadHash);
    indexKeys.addAll(InTotoStatements.digestKeys(payloadType, payloadBytes));
    return EntryTypes.entry(KIND, VERSION, canonicalSpec, indexKeys);
  }
}
