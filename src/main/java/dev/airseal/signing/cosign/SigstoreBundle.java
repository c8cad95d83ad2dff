package dev.airseal.signing.cosign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.log.Hex;
import dev.airseal.signing.Signer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Sigstore bundles v0.3 (protobuf-specs JSON) for key-based signatures: the verification material
 * names the key by hint and carries the Rekor v1 entry as a TransparencyLogEntry (SET as the
 * inclusion promise, inclusion proof with checkpoint, canonicalized body).
 */
public final class SigstoreBundle {
  public static final String MEDIA_TYPE_V03 = "application/vnd.dev.sigstore.bundle.v0.3+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private SigstoreBundle() {}

  /** A bundle around a message signature (sign-blob). */
  public static ObjectNode messageSignature(
      Signer signer, String digestAlgorithm, byte[] digest, byte[] signature, JsonNode rekorEntry) {
    ObjectNode b = base(signer, rekorEntry);
    ObjectNode ms = b.putObject("messageSignature");
    ms.putObject("messageDigest")
        .put("algorithm", protoHash(digestAlgorithm))
        .put("digest", Base64.getEncoder().encodeToString(digest));
    ms.put("signature", Base64.getEncoder().encodeToString(signature));
    return b;
  }

  /** A bundle around a DSSE envelope (attest-blob). */
  public static ObjectNode dsse(Signer signer, DsseEnvelope env, JsonNode rekorEntry) {
    ObjectNode b = base(signer, rekorEntry);
    ObjectNode e = b.putObject("dsseEnvelope");
    e.put("payload", Base64.getEncoder().encodeToString(env.payload()));
    e.put("payloadType", env.payloadType());
    e.putArray("signatures").addObject().put("sig", Base64.getEncoder().encodeToString(env.signature()));
    return b;
  }

  private static ObjectNode base(Signer signer, JsonNode rekorEntry) {
    ObjectNode b = JSON.createObjectNode();
    b.put("mediaType", MEDIA_TYPE_V03);
    ObjectNode vm = b.putObject("verificationMaterial");
    vm.putObject("publicKey").put("hint", Base64.getEncoder().encodeToString(sha256(signer.publicKey().getEncoded())));
    if (rekorEntry != null) {
      vm.putArray("tlogEntries").add(tlogEntry(rekorEntry));
    } else {
      vm.putArray("tlogEntries");
    }
    return b;
  }

  /** A Rekor v1 entry as a protobuf-specs TransparencyLogEntry. */
  public static ObjectNode tlogEntry(JsonNode e) {
    Base64.Encoder b64 = Base64.getEncoder();
    byte[] body = Base64.getDecoder().decode(e.path("body").asText());
    JsonNode kind = readTree(body);
    ObjectNode t = JSON.createObjectNode();
    t.put("logIndex", Long.toString(e.path("logIndex").asLong()));
    t.putObject("logId").put("keyId", b64.encodeToString(Hex.decode(e.path("logID").asText())));
    t.putObject("kindVersion").put("kind", kind.path("kind").asText()).put("version", kind.path("apiVersion").asText());
    t.put("integratedTime", Long.toString(e.path("integratedTime").asLong()));
    JsonNode v = e.path("verification");
    t.putObject("inclusionPromise").put("signedEntryTimestamp", v.path("signedEntryTimestamp").asText());
    JsonNode p = v.path("inclusionProof");
    if (p.isObject()) {
      ObjectNode ip = t.putObject("inclusionProof");
      ip.put("logIndex", Long.toString(p.path("logIndex").asLong()));
      ip.put("rootHash", b64.encodeToString(Hex.decode(p.path("rootHash").asText())));
      ip.put("treeSize", Long.toString(p.path("treeSize").asLong()));
      ArrayNode hs = ip.putArray("hashes");
      p.path("hashes").forEach(h -> hs.add(b64.encodeToString(Hex.decode(h.asText()))));
      ip.putObject("checkpoint").put("envelope", p.path("checkpoint").asText());
    }
    t.put("canonicalizedBody", e.path("body").asText());
    return t;
  }

  static String protoHash(String jcaDigest) {
    return switch (jcaDigest) {
      case "SHA-256" -> "SHA2_256";
      case "SHA-384" -> "SHA2_384";
      case "SHA-512" -> "SHA2_512";
      default -> throw new IllegalArgumentException("unsupported digest " + jcaDigest);
    };
  }

  private static JsonNode readTree(byte[] body) {
    try {
      return JSON.readTree(body);
    } catch (java.io.IOException ex) {
      throw new IllegalArgumentException("Rekor entry body is not JSON", ex);
    }
  }

  static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
