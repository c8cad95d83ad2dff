package dev.airseal.verify.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMParser;

/**
 * cosign 2.x's legacy layout read back: a layer of a {@code .sig} or {@code .att} manifest, with
 * its signature, certificate, Rekor bundle and timestamp annotations, re-expressed as the Sigstore
 * bundle v0.1 it is equivalent to, so that one verifier checks both layouts.
 *
 * <p>v0.1 is the right version: cosign's {@code dev.sigstore.cosign/bundle} annotation carries a
 * SET (inclusion promise) and no inclusion proof, which is exactly what v0.1 requires.
 */
final class CosignLayers {
  static final String SIGNATURE = "dev.cosignproject.cosign/signature";
  static final String CERTIFICATE = "dev.sigstore.cosign/certificate";
  static final String REKOR_BUNDLE = "dev.sigstore.cosign/bundle";
  static final String RFC3161_TIMESTAMP = "dev.sigstore.cosign/rfc3161timestamp";
  static final String BUNDLE_V01 = "application/vnd.dev.sigstore.bundle+json;version=0.1";
  private static final ObjectMapper JSON = new ObjectMapper();

  private CosignLayers() {}

  /** A simple-signing layer: {@code blob} is the signed payload. */
  static byte[] signatureBundle(byte[] blob, Map<String, String> ann, Reading how) throws LayerProblem {
    String sig = ann.get(SIGNATURE);
    if (sig == null || sig.isEmpty()) {
      throw new LayerProblem("layer.signature", "layer has no " + SIGNATURE + " annotation");
    }
    decode(sig, "layer.signature", SIGNATURE);
    ObjectNode b = bundle(ann, how);
    ObjectNode ms = b.putObject("messageSignature");
    ms.putObject("messageDigest")
        .put("algorithm", "SHA2_256")
        .put("digest", Base64.getEncoder().encodeToString(sha256(blob)));
    ms.put("signature", sig);
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** An attestation layer: {@code blob} is the DSSE envelope JSON. */
  static byte[] attestationBundle(byte[] blob, Map<String, String> ann, Reading how) throws LayerProblem {
    JsonNode env;
    try {
      env = JSON.readTree(blob);
    } catch (IOException e) {
      throw new LayerProblem("layer.envelope", "attestation layer is not a DSSE envelope: " + e.getMessage());
    }
    if (env == null || !env.isObject()) {
      throw new LayerProblem("layer.envelope", "attestation layer is not a DSSE envelope (JSON object)");
    }
    ObjectNode b = bundle(ann, how);
    b.set("dsseEnvelope", env);
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * How to read the annotations.
   *
   * @param keyless the policy names an identity: the certificate annotation is required
   * @param withTlog the Rekor bundle annotation is required (false: --insecure-ignore-tlog)
   * @param withTimestamps the trusted root has TSAs; without them cosign ignores timestamps, and
   *     so do we rather than fail on a timestamp nobody can check
   */
  record Reading(boolean keyless, boolean withTlog, boolean withTimestamps) {}

  private static ObjectNode bundle(Map<String, String> ann, Reading how) throws LayerProblem {
    ObjectNode b = JSON.createObjectNode();
    b.put("mediaType", BUNDLE_V01);
    ObjectNode vm = b.putObject("verificationMaterial");
    if (how.keyless()) {
      String pem = ann.get(CERTIFICATE);
      if (pem == null || pem.isBlank()) {
        throw new LayerProblem(
            "layer.certificate", "layer has no " + CERTIFICATE + " annotation; the policy names an identity");
      }
      // Only the leaf: the chain above it comes from the trusted root, whatever the layer's
      // dev.sigstore.cosign/chain annotation claims.
      vm.putObject("x509CertificateChain").putArray("certificates").addObject()
          .put("rawBytes", Base64.getEncoder().encodeToString(certificateDer(pem)));
    } else {
      vm.putObject("publicKey").put("hint", "");
    }
    if (how.withTlog()) {
      vm.putArray("tlogEntries").add(tlogEntry(ann.get(REKOR_BUNDLE)));
    } else {
      vm.putArray("tlogEntries");
    }
    String ts = ann.get(RFC3161_TIMESTAMP);
    if (how.withTimestamps() && ts != null && !ts.isBlank()) {
      JsonNode t = parse(ts, "layer.timestamp", RFC3161_TIMESTAMP);
      JsonNode signed = t.path("SignedRFC3161Timestamp");
      if (!signed.isTextual()) {
        throw new LayerProblem("layer.timestamp", RFC3161_TIMESTAMP + " has no SignedRFC3161Timestamp");
      }
      vm.putObject("timestampVerificationData").putArray("rfc3161Timestamps").addObject()
          .put("signedTimestamp", signed.asText());
    }
    return b;
  }

  /** cosign's {@code {SignedEntryTimestamp, Payload: {body, integratedTime, logIndex, logID}}}. */
  private static ObjectNode tlogEntry(String annotation) throws LayerProblem {
    if (annotation == null || annotation.isBlank()) {
      throw new LayerProblem(
          "layer.bundle",
          "layer has no " + REKOR_BUNDLE + " annotation: no transparency log entry"
              + " (--insecure-ignore-tlog skips this check)");
    }
    JsonNode a = parse(annotation, "layer.bundle", REKOR_BUNDLE);
    JsonNode p = a.path("Payload");
    String body = p.path("body").asText("");
    String logId = p.path("logID").asText("");
    if (!a.path("SignedEntryTimestamp").isTextual() || body.isEmpty()
        || !p.path("integratedTime").canConvertToLong() || !p.path("logIndex").canConvertToLong()) {
      throw new LayerProblem(
          "layer.bundle", REKOR_BUNDLE + " needs SignedEntryTimestamp and Payload.{body, integratedTime, logIndex, logID}");
    }
    byte[] id;
    try {
      id = HexFormat.of().parseHex(logId);
    } catch (IllegalArgumentException e) {
      throw new LayerProblem("layer.bundle", REKOR_BUNDLE + " Payload.logID is not hex: \"" + logId + "\"");
    }
    JsonNode entry = parse(new String(decode(body, "layer.bundle", "Payload.body"), StandardCharsets.UTF_8),
        "layer.bundle", "Payload.body");
    ObjectNode e = JSON.createObjectNode();
    e.put("logIndex", p.path("logIndex").asLong());
    e.putObject("logId").put("keyId", Base64.getEncoder().encodeToString(id));
    e.putObject("kindVersion")
        .put("kind", entry.path("kind").asText())
        .put("version", entry.path("apiVersion").asText());
    e.put("integratedTime", p.path("integratedTime").asLong());
    e.putObject("inclusionPromise").put("signedEntryTimestamp", a.path("SignedEntryTimestamp").asText());
    e.put("canonicalizedBody", body);
    return e;
  }

  private static JsonNode parse(String json, String check, String what) throws LayerProblem {
    try {
      JsonNode n = JSON.readTree(json);
      if (n == null || !n.isObject()) {
        throw new LayerProblem(check, what + " is not a JSON object");
      }
      return n;
    } catch (IOException e) {
      throw new LayerProblem(check, what + " is not JSON: " + e.getMessage());
    }
  }

  private static byte[] decode(String b64, String check, String what) throws LayerProblem {
    try {
      return Base64.getDecoder().decode(b64);
    } catch (IllegalArgumentException e) {
      throw new LayerProblem(check, what + " is not valid base64: " + e.getMessage());
    }
  }

  private static byte[] certificateDer(String pem) throws LayerProblem {
    try (PEMParser p = new PEMParser(new StringReader(pem))) {
      if (p.readObject() instanceof X509CertificateHolder h) {
        return h.getEncoded();
      }
    } catch (IOException | RuntimeException e) {
      throw new LayerProblem("layer.certificate", CERTIFICATE + " is not a PEM certificate: " + e.getMessage());
    }
    throw new LayerProblem("layer.certificate", CERTIFICATE + " is not a PEM certificate");
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always has SHA-256", e);
    }
  }
}
