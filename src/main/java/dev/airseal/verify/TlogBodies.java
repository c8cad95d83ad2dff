package dev.airseal.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airseal.log.Hex;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.util.Base64;
import java.util.Optional;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * Binds a tlog entry to the bundle: the logged body must be the entry for THIS signature, artifact
 * (or envelope) and signer. Without this check a valid proof for any other entry would do
 * (CVE-2022-36056).
 *
 * <p>Bodies: Rekor v1 hashedrekord 0.0.1, dsse 0.0.1, intoto 0.0.2; Rekor v2 hashedrekord 0.0.2
 * (for DSSE too, over the PAE digest).
 */
final class TlogBodies {
  private static final String CHECK = "tlog.body";
  private static final ObjectMapper JSON = new ObjectMapper();

  private TlogBodies() {}

  /** The signer as a bundle names it: the leaf certificate's DER, or the key's SPKI DER. */
  record Signer(byte[] certificateDer, byte[] publicKeyDer) {}

  static void check(Bundle.TlogEntry entry, Bundle.Content content, Artifact artifact, Signer signer)
      throws CheckFailure {
    JsonNode body;
    try {
      body = JSON.readTree(entry.canonicalizedBody());
    } catch (IOException e) {
      throw new CheckFailure(CHECK, "canonicalized body is not JSON: " + e.getMessage());
    }
    if (body == null || !body.isObject()) {
      throw new CheckFailure(CHECK, "canonicalized body is not a JSON object");
    }
    String kind = body.path("kind").asText();
    String version = body.path("apiVersion").asText();
    if (!kind.equals(entry.kind()) || !version.equals(entry.version())) {
      throw new CheckFailure(
          CHECK,
          "body is " + kind + " " + version + " but the entry says " + entry.kind() + " "
              + entry.version());
    }
    JsonNode spec = body.path("spec");
    String kv = kind + " " + version;
    if (content instanceof Bundle.MessageSignature ms) {
      switch (kv) {
        case "hashedrekord 0.0.1" -> hashedRekordV001(spec, ms, artifact, signer);
        case "hashedrekord 0.0.2" ->
            hashedRekordV002(spec, ms.signature(), artifactDigest(artifact, spec), signer);
        default -> throw new CheckFailure(CHECK, kv + " entries cannot log a message signature");
      }
    } else {
      Bundle.Envelope env = (Bundle.Envelope) content;
      switch (kv) {
        case "dsse 0.0.1" -> dsseV001(spec, env, signer);
        case "intoto 0.0.2" -> intotoV002(spec, env, signer);
        case "hashedrekord 0.0.2" -> {
          String jca = protoHash(spec.path("hashedRekordV002").path("data").path("algorithm").asText());
          byte[] digest = Digests.digest(jca, ContentChecks.pae(env.payloadType(), env.payload()));
          hashedRekordV002(spec, env.signatures().get(0), digest, signer);
        }
        // Rekor v2 logs DSSE as hashedrekord 0.0.2 over the PAE; dsse 0.0.2 is refused as
        // sigstore-java refuses it, so that one DSSE bundle has one accepted log form per log.
        default -> throw new CheckFailure(CHECK, kv + " entries cannot log a DSSE envelope");
      }
    }
  }

  private static void hashedRekordV001(
      JsonNode spec, Bundle.MessageSignature ms, Artifact artifact, Signer signer)
      throws CheckFailure {
    JsonNode hash = spec.path("data").path("hash");
    String alg = hash.path("algorithm").asText();
    String jca = Digests.jcaNameOfRekor(alg);
    if (jca == null) {
      throw new CheckFailure(CHECK, "hashedrekord hash algorithm \"" + alg + "\" is not supported");
    }
    String logged = hash.path("value").asText();
    Optional<byte[]> want = artifact.digest(jca);
    if (want.isEmpty()) {
      throw new CheckFailure(CHECK, "entry logs a " + alg + " digest; only the artifact's sha256 is known");
    }
    if (!Hex.encode(want.get()).equalsIgnoreCase(logged)) {
      throw new CheckFailure(
          CHECK,
          "entry logs artifact " + alg + ":" + logged + ", the artifact is " + Hex.encode(want.get()));
    }
    JsonNode sig = spec.path("signature");
    sameBytes(b64(sig.path("content").asText(), "signature"), ms.signature(), "signature");
    byte[] pem = b64(sig.path("publicKey").path("content").asText(), "public key");
    samePemSigner(new String(pem, StandardCharsets.UTF_8), signer);
  }

  private static byte[] artifactDigest(Artifact artifact, JsonNode spec) throws CheckFailure {
    String proto = spec.path("hashedRekordV002").path("data").path("algorithm").asText();
    String jca = protoHash(proto);
    return artifact
        .digest(jca)
        .orElseThrow(
            () -> new CheckFailure(CHECK, "entry logs a " + proto + " digest; only sha256 is known"));
  }

  private static void hashedRekordV002(JsonNode spec, byte[] signature, byte[] digest, Signer signer)
      throws CheckFailure {
    JsonNode v = spec.path("hashedRekordV002");
    if (!v.isObject()) {
      throw new CheckFailure(CHECK, "hashedrekord 0.0.2 body has no spec.hashedRekordV002");
    }
    byte[] logged = b64(v.path("data").path("digest").asText(), "digest");
    if (!MessageDigest.isEqual(logged, digest)) {
      throw new CheckFailure(
          CHECK,
          "entry logs digest " + Hex.encode(logged) + ", the signed content's is " + Hex.encode(digest));
    }
    JsonNode sig = v.path("signature");
    sameBytes(b64(sig.path("content").asText(), "signature"), signature, "signature");
    sameVerifier(sig.path("verifier"), signer);
  }

  private static void dsseV001(JsonNode spec, Bundle.Envelope env, Signer signer)
      throws CheckFailure {
    samePayloadHash(spec.path("payloadHash").path("value").asText(), env);
    JsonNode sigs = spec.path("signatures");
    byte[] want = env.signatures().get(0);
    for (JsonNode s : sigs) {
      byte[] logged = b64(s.path("signature").asText(), "signature");
      if (MessageDigest.isEqual(logged, want)) {
        samePemSigner(new String(b64(s.path("verifier").asText(), "verifier"), StandardCharsets.UTF_8), signer);
        return;
      }
    }
    throw new CheckFailure(CHECK, "none of the entry's " + sigs.size() + " signatures is the envelope's");
  }

  private static void intotoV002(JsonNode spec, Bundle.Envelope env, Signer signer)
      throws CheckFailure {
    JsonNode content = spec.path("content");
    samePayloadHash(content.path("payloadHash").path("value").asText(), env);
    JsonNode loggedEnv = content.path("envelope");
    if (!env.payloadType().equals(loggedEnv.path("payloadType").asText())) {
      throw new CheckFailure(
          CHECK,
          "entry logs payload type " + loggedEnv.path("payloadType").asText() + ", the envelope has "
              + env.payloadType());
    }
    JsonNode sigs = loggedEnv.path("signatures");
    byte[] want = env.signatures().get(0);
    for (JsonNode s : sigs) {
      // intoto 0.0.2 double-encodes: base64 of the envelope's base64 signature string.
      String inner = new String(b64(s.path("sig").asText(), "sig"), StandardCharsets.US_ASCII);
      byte[] logged;
      try {
        logged = Base64.getDecoder().decode(inner);
      } catch (IllegalArgumentException e) {
        continue; // not double-encoded, so not the envelope's signature as intoto 0.0.2 logs it
      }
      if (MessageDigest.isEqual(logged, want)) {
        samePemSigner(new String(b64(s.path("publicKey").asText(), "publicKey"), StandardCharsets.UTF_8), signer);
        return;
      }
    }
    throw new CheckFailure(CHECK, "none of the entry's " + sigs.size() + " signatures is the envelope's");
  }

  private static void samePayloadHash(String loggedHex, Bundle.Envelope env) throws CheckFailure {
    String want = Hex.encode(Digests.sha256(env.payload()));
    if (!want.equalsIgnoreCase(loggedHex)) {
      throw new CheckFailure(
          CHECK, "entry logs payload hash " + loggedHex + ", the envelope's payload is " + want);
    }
  }

  private static void sameVerifier(JsonNode verifier, Signer signer) throws CheckFailure {
    if (verifier.has("x509Certificate")) {
      sameCertificate(b64(verifier.path("x509Certificate").path("rawBytes").asText(), "certificate"), signer);
    } else if (verifier.has("publicKey")) {
      sameKey(b64(verifier.path("publicKey").path("rawBytes").asText(), "public key"), signer);
    } else {
      throw new CheckFailure(CHECK, "entry's verifier holds neither a certificate nor a key");
    }
  }

  private static void samePemSigner(String pem, Signer signer) throws CheckFailure {
    PemObject block;
    try (PemReader r = new PemReader(new StringReader(pem))) {
      block = r.readPemObject();
    } catch (IOException | RuntimeException e) {
      block = null;
    }
    if (block == null) {
      throw new CheckFailure(CHECK, "entry's verifier is not PEM");
    }
    switch (block.getType()) {
      case "CERTIFICATE" -> sameCertificate(block.getContent(), signer);
      case "PUBLIC KEY" -> sameKey(block.getContent(), signer);
      default -> throw new CheckFailure(CHECK, "entry's verifier is a PEM " + block.getType());
    }
  }

  private static void sameCertificate(byte[] der, Signer signer) throws CheckFailure {
    if (signer.certificateDer() == null) {
      throw new CheckFailure(CHECK, "entry was logged with a certificate; the bundle names a key");
    }
    if (!MessageDigest.isEqual(der, signer.certificateDer())) {
      throw new CheckFailure(
          CHECK,
          "entry's certificate (sha256 " + Hex.encode(Digests.sha256(der))
              + ") is not the bundle's (sha256 " + Hex.encode(Digests.sha256(signer.certificateDer())) + ")");
    }
  }

  private static void sameKey(byte[] spki, Signer signer) throws CheckFailure {
    if (signer.publicKeyDer() == null) {
      throw new CheckFailure(CHECK, "entry was logged with a bare key; the bundle names a certificate");
    }
    if (!MessageDigest.isEqual(spki, signer.publicKeyDer())) {
      throw new CheckFailure(
          CHECK,
          "entry's key (sha256 " + Hex.encode(Digests.sha256(spki)) + ") is not the signer's (sha256 "
              + Hex.encode(Digests.sha256(signer.publicKeyDer())) + ")");
    }
  }

  private static void sameBytes(byte[] logged, byte[] want, String what) throws CheckFailure {
    if (!MessageDigest.isEqual(logged, want)) {
      throw new CheckFailure(CHECK, "entry's " + what + " is not the bundle's " + what);
    }
  }

  private static String protoHash(String proto) throws CheckFailure {
    String jca = Digests.jcaName(proto);
    if (jca == null) {
      throw new CheckFailure(CHECK, "hash algorithm \"" + proto + "\" is not supported");
    }
    return jca;
  }

  private static byte[] b64(String s, String what) throws CheckFailure {
    try {
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw new CheckFailure(CHECK, "entry's " + what + " is not base64");
    }
  }

  static Signer signer(Bundle.Material material, java.security.PublicKey key) throws CheckFailure {
    if (material instanceof Bundle.Certificates c) {
      try {
        return new Signer(c.leaf().getEncoded(), null);
      } catch (CertificateEncodingException e) {
        throw new CheckFailure(CHECK, "leaf certificate cannot be encoded: " + e.getMessage());
      }
    }
    return new Signer(null, key.getEncoded());
  }
}
