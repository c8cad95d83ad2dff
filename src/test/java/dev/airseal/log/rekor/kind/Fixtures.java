package dev.airseal.log.rekor.kind;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/** Keys, signatures and proposed entries made in the test, so each case shows its one defect. */
final class Fixtures {
  static final ObjectMapper JSON = new ObjectMapper();

  private Fixtures() {}

  static KeyPair ec(String curve) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC", Verifiers.BC);
    g.initialize(new ECGenParameterSpec(curve));
    return g.generateKeyPair();
  }

  static KeyPair rsa() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    return g.generateKeyPair();
  }

  static KeyPair ed25519() throws Exception {
    return KeyPairGenerator.getInstance("Ed25519", Verifiers.BC).generateKeyPair();
  }

  static String pem(PublicKey key) {
    return new String(RekorKey.Pem.encode("PUBLIC KEY", key.getEncoded()), StandardCharsets.US_ASCII);
  }

  static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  static String b64(String s) {
    return b64(s.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] sign(String alg, PrivateKey key, byte[] message) throws Exception {
    Signature s = Signature.getInstance(alg, Verifiers.BC);
    s.initSign(key);
    s.update(message);
    return s.sign();
  }

  static ObjectNode hashedrekord(String alg, byte[] digest, byte[] sig, String pem) {
    ObjectNode e = JSON.createObjectNode().put("apiVersion", "0.0.1").put("kind", "hashedrekord");
    ObjectNode spec = e.putObject("spec");
    spec.putObject("data")
        .putObject("hash")
        .put("algorithm", alg)
        .put("value", dev.airseal.log.Hex.encode(digest));
    ObjectNode s = spec.putObject("signature").put("content", b64(sig));
    s.putObject("publicKey").put("content", b64(pem));
    return e;
  }

  static ObjectNode dsse(String envelope, String... pems) {
    ObjectNode e = JSON.createObjectNode().put("apiVersion", "0.0.1").put("kind", "dsse");
    ObjectNode pc = e.putObject("spec").putObject("proposedContent").put("envelope", envelope);
    for (String p : pems) {
      pc.withArray("verifiers").add(b64(p));
    }
    return e;
  }

  static String envelope(String payloadType, byte[] payload, String... sigs) {
    ObjectNode env = JSON.createObjectNode().put("payloadType", payloadType).put("payload", b64(payload));
    for (String s : sigs) {
      env.withArray("signatures").addObject().put("keyid", "").put("sig", s);
    }
    return env.toString();
  }

  static JsonNode read(String json) throws Exception {
    return JSON.readTree(json);
  }
}
