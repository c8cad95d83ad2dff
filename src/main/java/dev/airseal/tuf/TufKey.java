package dev.airseal.tuf;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.signing.SignatureAlgorithm;
import dev.airseal.signing.Signer;
import dev.airseal.signing.soft.KeyFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.PublicKey;

/**
 * A TUF key as the Sigstore roots write them: {@code {"keytype": "ecdsa", "scheme":
 * "ecdsa-sha2-nistp256", "keyval": {"public": "<PEM>"}}}, its key ID the hex SHA-256 of that
 * object's canonical JSON.
 */
public record TufKey(String keyId, ObjectNode json, PublicKey publicKey) {
  public static final String KEYTYPE = "ecdsa";
  public static final String SCHEME = "ecdsa-sha2-nistp256";

  public TufKey {
    json = json.deepCopy();
  }

  @Override
  public ObjectNode json() {
    return json.deepCopy();
  }

  /** The TUF key of {@code signer}, which must be ECDSA P-256 with SHA-256. */
  public static TufKey of(Signer signer) {
    if (signer.algorithm() != SignatureAlgorithm.PKIX_ECDSA_P256_SHA_256) {
      throw new IllegalArgumentException(
          "TUF keys here are ECDSA P-256 (" + SCHEME + "); this key is " + signer.algorithm());
    }
    return of(signer.publicKey());
  }

  static TufKey of(PublicKey key) {
    String pem;
    try {
      // JcaPEMWriter ends lines with the platform separator; the canonical form must not vary.
      pem = KeyFiles.publicKeyPem(key).replace("\r\n", "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("keytype", KEYTYPE);
    json.put("scheme", SCHEME);
    json.putObject("keyval").put("public", pem);
    return new TufKey(TufHashes.sha256Hex(TufCanonicalJson.encode(json)), json, key);
  }
}
