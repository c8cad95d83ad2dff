package dev.airseal.verify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Reads the protobuf-specs JSON form of a Sigstore bundle. Refuses what no verifier could check:
 * unknown media types, missing or malformed fields, bad base64, unparsable certificates.
 */
// SPEC: https://github.com/sigstore/protobuf-specs/blob/main/protos/sigstore_bundle.proto
final class BundleReader {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Both spellings of each supported version; "+json;version=0.3" is the deprecated one. */
  private static final Map<String, Integer> MEDIA_TYPES =
      Map.of(
          "application/vnd.dev.sigstore.bundle+json;version=0.1", 1,
          "application/vnd.dev.sigstore.bundle+json;version=0.2", 2,
          "application/vnd.dev.sigstore.bundle+json;version=0.3", 3,
          "application/vnd.dev.sigstore.bundle.v0.3+json", 3,
          "application/vnd.dev.sigstore.bundle.v0.3.1+json", 3);

  private BundleReader() {}

  static Bundle read(byte[] json) throws CheckFailure {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new CheckFailure("bundle.parse", "bundle is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new CheckFailure("bundle.parse", "bundle cannot be read: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new CheckFailure("bundle.parse", "bundle must be a JSON object");
    }
    String mediaType = text(root, "mediaType", "mediaType");
    Integer minor = MEDIA_TYPES.get(mediaType);
    if (minor == null) {
      throw new CheckFailure(
          "bundle.mediaType",
          "unsupported bundle media type \"" + mediaType + "\"; supported: v0.1, v0.2, v0.3");
    }
    JsonNode vm = object(root, "verificationMaterial", "verificationMaterial");
    Bundle.Material material = material(vm);
    List<Bundle.TlogEntry> entries = new ArrayList<>();
    JsonNode tlogs = vm.get("tlogEntries");
    if (tlogs != null && !tlogs.isNull()) {
      if (!tlogs.isArray()) {
        throw fail("verificationMaterial.tlogEntries must be an array");
      }
      for (int i = 0; i < tlogs.size(); i++) {
        entries.add(tlogEntry(tlogs.get(i), "verificationMaterial.tlogEntries[" + i + "]"));
      }
    }
    List<byte[]> timestamps = new ArrayList<>();
    JsonNode tvd = vm.get("timestampVerificationData");
    if (tvd != null && tvd.isObject() && tvd.has("rfc3161Timestamps")) {
      JsonNode ts = tvd.get("rfc3161Timestamps");
      if (!ts.isArray()) {
        throw fail("timestampVerificationData.rfc3161Timestamps must be an array");
      }
      for (int i = 0; i < ts.size(); i++) {
        String p = "timestampVerificationData.rfc3161Timestamps[" + i + "]";
        timestamps.add(base64(ts.get(i), "signedTimestamp", p + ".signedTimestamp"));
      }
    }
    boolean hasMessage = root.hasNonNull("messageSignature");
    boolean hasEnvelope = root.hasNonNull("dsseEnvelope");
    if (hasMessage == hasEnvelope) {
      throw fail("bundle must hold exactly one of messageSignature and dsseEnvelope");
    }
    Bundle.Content content =
        hasMessage
            ? messageSignature(object(root, "messageSignature", "messageSignature"))
            : envelope(object(root, "dsseEnvelope", "dsseEnvelope"));
    return new Bundle(mediaType, minor, material, entries, timestamps, content);
  }

  private static Bundle.Material material(JsonNode vm) throws CheckFailure {
    if (vm.hasNonNull("publicKey")) {
      JsonNode pk = object(vm, "publicKey", "verificationMaterial.publicKey");
      return new Bundle.KeyHint(pk.path("hint").asText(""));
    }
    if (vm.hasNonNull("x509CertificateChain")) {
      JsonNode chain = object(vm, "x509CertificateChain", "verificationMaterial.x509CertificateChain");
      JsonNode certs = chain.get("certificates");
      if (certs == null || !certs.isArray() || certs.isEmpty()) {
        throw new CheckFailure(
            "bundle.verificationMaterial", "x509CertificateChain has no certificates");
      }
      List<X509Certificate> out = new ArrayList<>();
      for (int i = 0; i < certs.size(); i++) {
        String p = "verificationMaterial.x509CertificateChain.certificates[" + i + "]";
        out.add(certificate(base64(certs.get(i), "rawBytes", p + ".rawBytes"), p));
      }
      return new Bundle.Certificates(out);
    }
    if (vm.hasNonNull("certificate")) {
      JsonNode c = object(vm, "certificate", "verificationMaterial.certificate");
      String p = "verificationMaterial.certificate";
      return new Bundle.Certificates(List.of(certificate(base64(c, "rawBytes", p + ".rawBytes"), p)));
    }
    throw new CheckFailure(
        "bundle.verificationMaterial",
        "verificationMaterial holds none of publicKey, x509CertificateChain, certificate");
  }

  private static Bundle.MessageSignature messageSignature(JsonNode ms) throws CheckFailure {
    byte[] sig = base64(ms, "signature", "messageSignature.signature");
    JsonNode md = ms.get("messageDigest");
    if (md == null || md.isNull()) {
      return new Bundle.MessageSignature(null, null, sig);
    }
    String alg = text(md, "algorithm", "messageSignature.messageDigest.algorithm");
    String jca = Digests.jcaName(alg);
    if (jca == null) {
      throw fail("messageSignature.messageDigest.algorithm \"" + alg + "\" is not supported");
    }
    // An absent or empty digest cannot match any artifact; keep it so the digest check says so.
    String digest = md.path("digest").asText("");
    return new Bundle.MessageSignature(jca, decode(digest, "messageSignature.messageDigest.digest"), sig);
  }

  private static Bundle.Envelope envelope(JsonNode env) throws CheckFailure {
    String payloadType = text(env, "payloadType", "dsseEnvelope.payloadType");
    byte[] payload = base64(env, "payload", "dsseEnvelope.payload");
    JsonNode sigs = env.get("signatures");
    if (sigs == null || !sigs.isArray()) {
      throw fail("dsseEnvelope.signatures must be an array");
    }
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < sigs.size(); i++) {
      out.add(base64(sigs.get(i), "sig", "dsseEnvelope.signatures[" + i + "].sig"));
    }
    return new Bundle.Envelope(payloadType, payload, out);
  }

  private static Bundle.TlogEntry tlogEntry(JsonNode e, String p) throws CheckFailure {
    if (!e.isObject()) {
      throw fail(p + " must be an object");
    }
    long logIndex = int64(e, "logIndex", p + ".logIndex", true);
    byte[] logId = base64(object(e, "logId", p + ".logId"), "keyId", p + ".logId.keyId");
    JsonNode kv = object(e, "kindVersion", p + ".kindVersion");
    String kind = text(kv, "kind", p + ".kindVersion.kind");
    String version = text(kv, "version", p + ".kindVersion.version");
    long integratedTime = int64(e, "integratedTime", p + ".integratedTime", false);
    byte[] set = null;
    if (e.hasNonNull("inclusionPromise")) {
      set =
          base64(
              object(e, "inclusionPromise", p + ".inclusionPromise"),
              "signedEntryTimestamp",
              p + ".inclusionPromise.signedEntryTimestamp");
    }
    Bundle.InclusionProofData proof = null;
    if (e.hasNonNull("inclusionProof")) {
      proof = inclusionProof(object(e, "inclusionProof", p + ".inclusionProof"), p + ".inclusionProof");
    }
    byte[] body = base64(e, "canonicalizedBody", p + ".canonicalizedBody");
    return new Bundle.TlogEntry(logIndex, logId, kind, version, integratedTime, set, proof, body);
  }

  private static Bundle.InclusionProofData inclusionProof(JsonNode ip, String p)
      throws CheckFailure {
    long index = int64(ip, "logIndex", p + ".logIndex", true);
    byte[] root = base64(ip, "rootHash", p + ".rootHash");
    long size = int64(ip, "treeSize", p + ".treeSize", true);
    List<byte[]> hashes = new ArrayList<>();
    JsonNode hs = ip.get("hashes");
    if (hs != null && !hs.isNull()) {
      if (!hs.isArray()) {
        throw fail(p + ".hashes must be an array");
      }
      for (int i = 0; i < hs.size(); i++) {
        if (!hs.get(i).isTextual()) {
          throw fail(p + ".hashes[" + i + "] must be a base64 string");
        }
        hashes.add(decode(hs.get(i).textValue(), p + ".hashes[" + i + "]"));
      }
    }
    String checkpoint = null;
    JsonNode cp = ip.get("checkpoint");
    if (cp != null && cp.isObject() && cp.hasNonNull("envelope")) {
      checkpoint = cp.get("envelope").asText();
    }
    return new Bundle.InclusionProofData(index, root, size, hashes, checkpoint);
  }

  private static X509Certificate certificate(byte[] der, String p) throws CheckFailure {
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      return (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException | RuntimeException e) {
      throw fail(p + " is not a DER X.509 certificate: " + e.getMessage());
    }
  }

  private static CheckFailure fail(String message) {
    return new CheckFailure("bundle.parse", message);
  }

  private static JsonNode object(JsonNode parent, String name, String path) throws CheckFailure {
    JsonNode n = parent.get(name);
    if (n == null || n.isNull()) {
      throw fail(path + " is required");
    }
    if (!n.isObject()) {
      throw fail(path + " must be an object");
    }
    return n;
  }

  private static String text(JsonNode parent, String name, String path) throws CheckFailure {
    JsonNode n = parent.get(name);
    if (n == null || !n.isTextual() || n.textValue().isEmpty()) {
      throw fail(path + " must be a non-empty string");
    }
    return n.textValue();
  }

  /** protobuf JSON writes int64 as a decimal string; numbers are accepted too. */
  private static long int64(JsonNode parent, String name, String path, boolean required)
      throws CheckFailure {
    JsonNode n = parent.get(name);
    if (n == null || n.isNull()) {
      if (required) {
        throw fail(path + " is required");
      }
      return 0;
    }
    long v;
    if (n.isIntegralNumber() && n.canConvertToLong()) {
      v = n.longValue();
    } else if (n.isTextual()) {
      try {
        v = Long.parseLong(n.textValue());
      } catch (NumberFormatException e) {
        throw fail(path + " is not an int64: \"" + n.textValue() + "\"");
      }
    } else {
      throw fail(path + " is not an int64");
    }
    if (v < 0) {
      throw fail(path + " must not be negative, got " + v);
    }
    return v;
  }

  private static byte[] base64(JsonNode parent, String name, String path) throws CheckFailure {
    JsonNode n = parent.get(name);
    if (n == null || !n.isTextual()) {
      throw fail(path + " must be a base64 string");
    }
    byte[] b = decode(n.textValue(), path);
    if (b.length == 0) {
      throw fail(path + " is empty");
    }
    return b;
  }

  /** protobuf JSON accepts standard or URL-safe base64, padded or not. */
  private static byte[] decode(String raw, String path) throws CheckFailure {
    // Go's decoder, which protojson uses, skips CR and LF.
    String s = raw.indexOf('\n') < 0 && raw.indexOf('\r') < 0 ? raw : raw.replace("\r", "").replace("\n", "");
    try {
      return s.indexOf('-') >= 0 || s.indexOf('_') >= 0
          ? Base64.getUrlDecoder().decode(s)
          : Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw fail(path + " is not valid base64: " + e.getMessage());
    }
  }
}
