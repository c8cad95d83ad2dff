package dev.airseal.signing.soft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.generators.SCrypt;

/**
 * Password encryption as go-securesystemslib's {@code encrypted} package does it, the body of
 * cosign's encrypted key PEM: key = scrypt(password, salt, N, r, p, 32), box = NaCl secretbox.
 *
 * <pre>{"kdf":{"name":"scrypt","params":{"N":32768,"r":8,"p":1},"salt":"<b64>"},
 *  "cipher":{"name":"nacl/secretbox","nonce":"<b64>"},"ciphertext":"<b64>"}</pre>
 *
 * <p>Written byte for byte as Go's encoding/json writes that struct: this field order, no spaces,
 * standard padded base64.
 */
final class ScryptSecretBox {
  static final int SALT_BYTES = 32;
  private static final int MAX_SALT_BYTES = 1024;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder B64 = Base64.getEncoder();

  private ScryptSecretBox() {}

  static byte[] encrypt(byte[] plaintext, byte[] password, ScryptParams params, SecureRandom rnd) {
    byte[] salt = new byte[SALT_BYTES];
    byte[] nonce = new byte[SecretBox.NONCE_BYTES];
    rnd.nextBytes(salt);
    rnd.nextBytes(nonce);
    byte[] key = derive(password, salt, params);
    byte[] box = SecretBox.seal(key, nonce, plaintext);
    Arrays.fill(key, (byte) 0);
    String json =
        "{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":"
            + params.n()
            + ",\"r\":"
            + params.r()
            + ",\"p\":"
            + params.p()
            + "},\"salt\":\""
            + B64.encodeToString(salt)
            + "\"},\"cipher\":{\"name\":\"nacl/secretbox\",\"nonce\":\""
            + B64.encodeToString(nonce)
            + "\"},\"ciphertext\":\""
            + B64.encodeToString(box)
            + "\"}";
    return json.getBytes(StandardCharsets.US_ASCII);
  }

  /** The plaintext; {@code source} names the file in error messages. */
  static byte[] decrypt(byte[] envelope, byte[] password, String source) throws KeyFileException {
    JsonNode root;
    try {
      root = JSON.readTree(envelope);
    } catch (IOException e) {
      throw malformed(source, "body is not JSON");
    }
    if (root == null || !root.isObject()) {
      throw malformed(source, "body is not a JSON object");
    }
    JsonNode kdf = root.path("kdf");
    JsonNode cipher = root.path("cipher");
    if (!"scrypt".equals(kdf.path("name").asText(null))) {
      throw malformed(source, "unsupported kdf " + kdf.path("name"));
    }
    if (!"nacl/secretbox".equals(cipher.path("name").asText(null))) {
      throw malformed(source, "unsupported cipher " + cipher.path("name"));
    }
    JsonNode params = kdf.path("params");
    ScryptParams scrypt;
    try {
      scrypt =
          new ScryptParams(intField(params, "N"), intField(params, "r"), intField(params, "p"));
    } catch (IllegalArgumentException e) {
      throw malformed(source, "refusing scrypt parameters: " + e.getMessage());
    }
    byte[] salt = bytesField(kdf, "salt", source);
    byte[] nonce = bytesField(cipher, "nonce", source);
    byte[] box = bytesField(root, "ciphertext", source);
    if (salt.length == 0 || salt.length > MAX_SALT_BYTES) {
      throw malformed(source, "salt of " + salt.length + " bytes");
    }
    if (nonce.length != SecretBox.NONCE_BYTES) {
      throw malformed(source, "nonce of " + nonce.length + " bytes, want 24");
    }
    byte[] key = derive(password, salt, scrypt);
    byte[] plaintext = SecretBox.open(key, nonce, box);
    Arrays.fill(key, (byte) 0);
    if (plaintext == null) {
      throw new KeyFileException(
          "wrong password or corrupted key file "
              + source
              + ": the encrypted key does not authenticate under the given password");
    }
    return plaintext;
  }

  private static byte[] derive(byte[] password, byte[] salt, ScryptParams p) {
    return SCrypt.generate(password, salt, p.n(), p.r(), p.p(), SecretBox.KEY_BYTES);
  }

  private static int intField(JsonNode parent, String name) {
    JsonNode n = parent.path(name);
    if (!n.canConvertToInt() || !n.isIntegralNumber()) {
      throw new IllegalArgumentException("scrypt " + name + " missing or not an integer");
    }
    return n.intValue();
  }

  private static byte[] bytesField(JsonNode parent, String name, String source)
      throws KeyFileException {
    JsonNode n = parent.path(name);
    if (!n.isTextual()) {
      throw malformed(source, name + " missing");
    }
    try {
      return Base64.getDecoder().decode(n.asText());
    } catch (IllegalArgumentException e) {
      throw malformed(source, name + " is not base64");
    }
  }

  private static KeyFileException malformed(String source, String why) {
    return new KeyFileException("malformed encrypted key in " + source + ": " + why);
  }
}
