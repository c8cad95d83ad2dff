package dev.airseal.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airseal.log.Hex;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Checks that the bundle's signature covers the artifact and verifies with the signer's key. */
final class ContentChecks {
  static final String IN_TOTO = "application/vnd.in-toto+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private ContentChecks() {}

  /** The bytes the signature was made over, as a tlog entry must commit to them. */
  static byte[] signature(Bundle.Content content) {
    return content instanceof Bundle.MessageSignature m
        ? m.signature()
        : ((Bundle.Envelope) content).signatures().get(0);
  }

  static void messageSignature(
      Bundle.MessageSignature ms, Artifact artifact, PublicKey key, List<Reason> passed)
      throws CheckFailure {
    if (ms.digestAlgorithm() != null) {
      Optional<byte[]> want = artifact.digest(ms.digestAlgorithm());
      if (want.isEmpty()) {
        throw new CheckFailure(
            "content.messageDigest",
            "bundle digest is " + ms.digestAlgorithm() + " but only the artifact's SHA-256 is known");
      }
      if (!MessageDigest.isEqual(want.get(), ms.digest())) {
        throw new CheckFailure(
            "content.messageDigest",
            "bundle digest " + ms.digestAlgorithm() + ":" + Hex.encode(ms.digest())
                + " does not match the artifact's " + Hex.encode(want.get()));
      }
    }
    // The signer hashed with the algorithm the bundle names (a P-384 key may sign a SHA-256
    // digest); without a named digest, with the one the key's type implies.
    String hash = ms.digestAlgorithm() != null ? ms.digestAlgorithm() : Signatures.hashFor(key);
    boolean ok;
    if (hash == null) {
      byte[] bytes =
          artifact.bytes().orElseThrow(() -> new CheckFailure(
              "content.signature", "an Ed25519 signature needs the artifact's bytes, not its digest"));
      ok = Signatures.verifyMessage(key, bytes, ms.signature());
    } else {
      Optional<byte[]> digest = artifact.digest(hash);
      if (digest.isEmpty()) {
        throw new CheckFailure(
            "content.signature",
            "the key signs " + hash + " digests but only the artifact's SHA-256 is known");
      }
      ok = Signatures.verifyDigest(key, hash, digest.get(), ms.signature());
    }
    if (!ok) {
      throw new CheckFailure(
          "content.signature",
          "message signature does not verify over " + artifact + " with the "
              + key.getAlgorithm() + " key");
    }
    passed.add(new Reason("content.signature", "message signature verifies over " + artifact));
  }

  static void envelope(Bundle.Envelope env, Artifact artifact, PublicKey key, List<Reason> passed)
      throws CheckFailure {
    // One signature, one signer: a second signature would be unverified material in the bundle.
    if (env.signatures().size() != 1) {
      throw new CheckFailure(
          "content.dsse", "DSSE envelope has " + env.signatures().size() + " signatures, want 1");
    }
    if (!Signatures.verifyMessage(key, pae(env.payloadType(), env.payload()), env.signatures().get(0))) {
      throw new CheckFailure(
          "content.dsse", "DSSE signature does not verify over PAE(" + env.payloadType() + ", payload)");
    }
    passed.add(new Reason("content.dsse", "DSSE signature verifies"));
    if (artifact == null) {
      return;
    }
    if (!IN_TOTO.equals(env.payloadType())) {
      throw new CheckFailure(
          "content.subject",
          "payload type is \"" + env.payloadType() + "\", not an in-toto statement naming subjects");
    }
    List<String> seen = subjectDigests(env.payload());
    String want = Hex.encode(artifact.sha256());
    for (String d : seen) {
      if (d.equalsIgnoreCase("sha256:" + want)) {
        passed.add(new Reason("content.subject", "in-toto subject sha256:" + want));
        return;
      }
    }
    throw new CheckFailure(
        "content.subject",
        "no in-toto subject has the artifact's digest sha256:" + want + "; subjects: " + seen);
  }

  private static List<String> subjectDigests(byte[] payload) throws CheckFailure {
    JsonNode statement;
    try {
      statement = JSON.readTree(payload);
    } catch (IOException e) {
      throw new CheckFailure("content.subject", "in-toto statement is not JSON: " + e.getMessage());
    }
    JsonNode subjects = statement == null ? null : statement.get("subject");
    if (subjects == null || !subjects.isArray()) {
      throw new CheckFailure("content.subject", "in-toto statement has no subject array");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode s : subjects) {
      JsonNode digest = s.path("digest");
      digest.fieldNames().forEachRemaining(alg -> out.add(alg + ":" + digest.path(alg).asText()));
    }
    return out;
  }

  // SPEC: https://github.com/secure-systems-lab/dsse/blob/master/protocol.md
  // PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body
  static byte[] pae(String payloadType, byte[] body) {
    byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
    byte[] head =
        ("DSSEv1 " + type.length + " " + payloadType + " " + body.length + " ")
            .getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[head.length + body.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(body, 0, out, head.length, body.length);
    return out;
  }
}
