package dev.airseal.log.rekor.kind;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.log.Hex;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * hashedrekord 0.0.1: a signature over an artifact digest.
 *
 * <p>Upstream: sigstore/rekor pkg/types/hashedrekord/v0.0.1/entry.go ({@code validate},
 * {@code Canonicalize}, {@code IndexKeys}). The stored spec keeps the digest as sent, the
 * signature bytes as sent, and the key in Rekor's canonical PEM; nothing else.
 */
final class HashedRekordV001 {
  static final String KIND = "hashedrekord";
  static final String VERSION = "0.0.1";

  private HashedRekordV001() {}

  static CanonicalEntry canonicalize(JsonNode spec) throws InvalidEntryException {
    JsonNode signature = Fields.object(spec, "signature", "spec.signature");
    byte[] sig = Fields.base64(signature, "content", "spec.signature.content");
    JsonNode publicKey = Fields.object(signature, "publicKey", "spec.signature.publicKey");
    RekorKey key =
        RekorKey.parse(
            Fields.base64(publicKey, "content", "spec.signature.publicKey.content"),
            "spec.signature.publicKey.content");

    JsonNode hash = Fields.object(Fields.object(spec, "data", "spec.data"), "hash", "spec.data.hash");
    String algorithm = Fields.text(hash, "algorithm", "spec.data.hash.algorithm");
    HashAlgorithm alg = HashAlgorithm.fromId(algorithm);
    if (alg == null) {
      throw new InvalidEntryException(
          "spec.data.hash.algorithm must be one of sha256, sha384, sha512, got \"" + algorithm + "\"");
    }
    String value = Fields.text(hash, "value", "spec.data.hash.value");
    if (!Hex.isHex(value, alg.size() * 2)) {
      throw new InvalidEntryException(
          "spec.data.hash.value must be " + alg.size() * 2 + " hex characters for " + alg.id()
              + ", got " + value.length() + " characters");
    }
    Verifiers.verifyDigest(key, alg, Hex.decode(value), sig);

    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode canonicalHash = f.objectNode().put("algorithm", alg.id()).put("value", value);
    ObjectNode canonicalSpec = f.objectNode();
    canonicalSpec.putObject("data").set("hash", canonicalHash);
    ObjectNode canonicalSig = canonicalSpec.putObject("signature");
    canonicalSig.put("content", Base64.getEncoder().encodeToString(sig));
    canonicalSig
        .putObject("publicKey")
        .put("content", Base64.getEncoder().encodeToString(key.canonicalPem()));

    // Rekor's IndexKeys runs after Canonicalize has replaced the key with its canonical PEM.
    List<String> keys = new ArrayList<>();
    keys.add(Hex.encode(HashAlgorithm.SHA256.digest(key.canonicalPem())));
    keys.addAll(key.subjects());
    keys.add((alg.id() + ":" + value).toLowerCase(Locale.ROOT));
    return EntryTypes.entry(KIND, VERSION, canonicalSpec, keys);
  }
}
