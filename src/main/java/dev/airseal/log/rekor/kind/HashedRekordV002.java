package dev.airseal.log.rekor.kind;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.log.Hex;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * hashedrekord 0.0.2, Rekor v2's one signature kind: a request {@code {digest, signature: {content,
 * verifier: {publicKey|x509Certificate, keyDetails}}}} (protobuf JSON of rekor-tiles'
 * HashedRekordRequestV002), logged as the canonical JSON of the Entry rekor-tiles stores.
 */
final class HashedRekordV002 {
  static final String KIND = "hashedrekord";
  static final String VERSION = "0.0.2";

  /** protobuf-specs PublicKeyDetails this log verifies for digests, with their hash. */
  private enum Details {
    PKIX_ECDSA_P256_SHA_256(KeyType.ECDSA, HashAlgorithm.SHA256, 256),
    PKIX_ECDSA_P384_SHA_384(KeyType.ECDSA, HashAlgorithm.SHA384, 384),
    PKIX_ECDSA_P521_SHA_512(KeyType.ECDSA, HashAlgorithm.SHA512, 521),
    PKIX_RSA_PKCS1V15_2048_SHA256(KeyType.RSA, HashAlgorithm.SHA256, 2048),
    PKIX_RSA_PKCS1V15_3072_SHA256(KeyType.RSA, HashAlgorithm.SHA256, 3072),
    PKIX_RSA_PKCS1V15_4096_SHA256(KeyType.RSA, HashAlgorithm.SHA256, 4096),
    PKIX_ED25519_PH(KeyType.ED25519, HashAlgorithm.SHA512, 256);

    final KeyType type;
    final HashAlgorithm hash;
    final int bits;

    Details(KeyType type, HashAlgorithm hash, int bits) {
      this.type = type;
      this.hash = hash;
      this.bits = bits;
    }

    String protoHash() {
      return switch (hash) {
        case SHA256 -> "SHA2_256";
        case SHA384 -> "SHA2_384";
        case SHA512 -> "SHA2_512";
      };
    }
  }

  private HashedRekordV002() {}

  static CanonicalEntry canonicalize(JsonNode request) throws InvalidEntryException {
    String p = "hashedRekordRequestV002";
    byte[] digest = Fields.base64(request, "digest", p + ".digest");
    JsonNode signature = Fields.object(request, "signature", p + ".signature");
    byte[] sig = Fields.base64(signature, "content", p + ".signature.content");
    JsonNode verifier = Fields.object(signature, "verifier", p + ".signature.verifier");
    String detailsName = Fields.text(verifier, "keyDetails", p + ".signature.verifier.keyDetails");
    Details details;
    try {
      details = Details.valueOf(detailsName);
    } catch (IllegalArgumentException e) {
      throw new InvalidEntryException(
          p + ".signature.verifier.keyDetails \"" + detailsName + "\" is not supported; supported: "
              + java.util.Arrays.toString(Details.values()));
    }
    boolean hasKey = verifier.has("publicKey");
    boolean hasCert = verifier.has("x509Certificate");
    if (hasKey == hasCert) {
      throw new InvalidEntryException(
          p + ".signature.verifier must hold exactly one of publicKey and x509Certificate");
    }
    String field = hasKey ? "publicKey" : "x509Certificate";
    String path = p + ".signature.verifier." + field + ".rawBytes";
    byte[] der = Fields.base64(Fields.object(verifier, field, path), "rawBytes", path);
    RekorKey key = hasKey ? RekorKey.fromPublicKey(der, path) : RekorKey.fromCertificate(der, path);
    checkKeyMatches(key, details, p);
    if (digest.length != details.hash.size()) {
      throw new InvalidEntryException(
          p + ".digest has " + digest.length + " bytes; " + details + " needs " + details.hash.size());
    }
    Verifiers.verifyDigest(key, details.hash, digest, sig);

    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode spec = f.objectNode();
    ObjectNode v002 = spec.putObject("hashedRekordV002");
    v002.putObject("data")
        .put("algorithm", details.protoHash())
        .put("digest", Base64.getEncoder().encodeToString(digest));
    ObjectNode cs = v002.putObject("signature");
    cs.put("content", Base64.getEncoder().encodeToString(sig));
    ObjectNode cv = cs.putObject("verifier");
    cv.put("keyDetails", details.name());
    cv.putObject(field).put("rawBytes", Base64.getEncoder().encodeToString(der));

    List<String> keys = new ArrayList<>();
    keys.add(Hex.encode(HashAlgorithm.SHA256.digest(key.canonicalPem())));
    keys.addAll(key.subjects());
    keys.add(details.hash.id() + ":" + Hex.encode(digest));
    return EntryTypes.entry(KIND, VERSION, spec, keys);
  }

  private static void checkKeyMatches(RekorKey key, Details d, String p)
      throws InvalidEntryException {
    int bits =
        switch (key.type()) {
          case ECDSA -> ((ECPublicKey) key.publicKey()).getParams().getCurve().getField().getFieldSize();
          case RSA -> ((RSAPublicKey) key.publicKey()).getModulus().bitLength();
          case ED25519 -> 256;
        };
    if (key.type() != d.type || bits != d.bits) {
      throw new InvalidEntryException(
          p + ".signature.verifier: a " + bits + "-bit " + key.type() + " key does not match keyDetails "
              + d);
    }
  }
}
