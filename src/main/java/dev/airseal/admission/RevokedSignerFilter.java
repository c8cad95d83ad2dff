package dev.airseal.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.oci.Digest;
import dev.airseal.oci.Manifest;
import dev.airseal.verify.oci.ImageSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An image source that hides signatures made by revoked keys or identities, so that a revoked
 * signer counts as no signer at all: cosign {@code .sig}/{@code .att} layers whose certificate or
 * Rekor entry names a revoked key or SAN, and Sigstore-bundle referrers whose certificate or log
 * entry does. A signature whose key appears nowhere in its evidence (a bare key signature without a
 * log entry) cannot be recognised here; revoke its image digest or remove the key from the policy.
 */
final class RevokedSignerFilter implements ImageSource {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PEM = Pattern.compile(
      "-----BEGIN (CERTIFICATE|PUBLIC KEY)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
  private static final long MAX_BUNDLE = 4L << 20;

  private final ImageSource inner;
  private final Revocations revoked;

  RevokedSignerFilter(ImageSource inner, Revocations revoked) {
    this.inner = inner;
    this.revoked = revoked;
  }

  static ImageSource wrap(ImageSource s, Revocations r) {
    return r.hasSignerRevocations() ? new RevokedSignerFilter(s, r) : s;
  }

  @Override
  public Optional<Manifest> manifest(String reference) throws IOException {
    Optional<Manifest> m = inner.manifest(reference);
    if (m.isEmpty() || !(reference.endsWith(".sig") || reference.endsWith(".att"))) {
      return m;
    }
    JsonNode doc = JSON.readTree(m.get().bytes());
    if (!(doc.path("layers") instanceof ArrayNode layers)) {
      return m;
    }
    boolean dropped = false;
    for (Iterator<JsonNode> it = layers.elements(); it.hasNext(); ) {
      JsonNode ann = it.next().path("annotations");
      List<String> pems = new ArrayList<>();
      pems.add(ann.path("dev.sigstore.cosign/certificate").asText(""));
      String bundle = ann.path("dev.sigstore.cosign/bundle").asText("");
      if (!bundle.isEmpty()) {
        pems.addAll(pemsInEntry(JSON.readTree(bundle).path("Payload").path("body").asText("")));
      }
      if (revokedBy(pems).isPresent()) {
        it.remove();
        dropped = true;
      }
    }
    if (!dropped) {
      return m;
    }
    byte[] bytes = JSON.writeValueAsBytes(doc);
    return Optional.of(new Manifest(bytes, m.get().mediaType(), Digest.of(bytes)));
  }

  @Override
  public byte[] blob(Digest digest, long maxBytes) throws IOException {
    return inner.blob(digest, maxBytes);
  }

  @Override
  public Optional<Manifest> referrers(Digest subject) throws IOException {
    Optional<Manifest> idx = inner.referrers(subject);
    if (idx.isEmpty()) {
      return idx;
    }
    JsonNode doc = JSON.readTree(idx.get().bytes());
    if (!(doc.path("manifests") instanceof ArrayNode list)) {
      return idx;
    }
    boolean dropped = false;
    for (Iterator<JsonNode> it = list.elements(); it.hasNext(); ) {
      JsonNode d = it.next();
      if (referrerRevoked(d.path("digest").asText(""))) {
        it.remove();
        dropped = true;
      }
    }
    if (!dropped) {
      return idx;
    }
    byte[] bytes = JSON.writeValueAsBytes(doc);
    return Optional.of(new Manifest(bytes, idx.get().mediaType(), Digest.of(bytes)));
  }

  private boolean referrerRevoked(String manifestDigest) throws IOException {
    if (!manifestDigest.startsWith("sha256:")) {
      return false;
    }
    Optional<Manifest> m = inner.manifest(manifestDigest);
    if (m.isEmpty()) {
      return false;
    }
    for (JsonNode layer : JSON.readTree(m.get().bytes()).path("layers")) {
      if (!layer.path("mediaType").asText("").startsWith("application/vnd.dev.sigstore.bundle")) {
        continue;
      }
      JsonNode b = JSON.readTree(inner.blob(Digest.parse(layer.path("digest").asText()), MAX_BUNDLE));
      JsonNode vm = b.path("verificationMaterial");
      List<String> pems = new ArrayList<>();
      pems.add(derToPem(vm.path("certificate").path("rawBytes").asText("")));
      pems.add(derToPem(vm.path("x509CertificateChain").path("certificates").path(0).path("rawBytes").asText("")));
      for (JsonNode e : vm.path("tlogEntries")) {
        pems.addAll(pemsInEntry(e.path("canonicalizedBody").asText("")));
      }
      if (revokedBy(pems).isPresent()) {
        return true;
      }
    }
    return false;
  }

  private Optional<String> revokedBy(List<String> pems) {
    for (String pem : pems) {
      Matcher m = PEM.matcher(pem);
      while (m.find()) {
        byte[] der = Base64.getMimeDecoder().decode(m.group(2));
        Optional<String> why = m.group(1).equals("CERTIFICATE") ? certificate(der) : revoked.signer(sha256(der), List.of());
        if (why.isPresent()) {
          return why;
        }
      }
    }
    return Optional.empty();
  }

  private Optional<String> certificate(byte[] der) {
    try {
      X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der));
      List<String> sans = new ArrayList<>();
      if (c.getSubjectAlternativeNames() != null) {
        c.getSubjectAlternativeNames().forEach(san -> sans.add(String.valueOf(san.get(1))));
      }
      return revoked.signer(sha256(c.getPublicKey().getEncoded()), sans);
    } catch (CertificateParsingException e) {
      return Optional.empty();
    } catch (CertificateException e) {
      return Optional.empty(); // not a certificate: the verifier rejects it on its own terms
    }
  }

  // A Rekor entry body (base64 JSON) carries the signer's key or certificate as base64 PEM in
  // kind-specific places (hashedrekord publicKey.content, intoto publicKey, dsse verifier): find
  // every such string rather than knowing each kind.
  private static List<String> pemsInEntry(String bodyB64) {
    List<String> out = new ArrayList<>();
    if (bodyB64.isEmpty()) {
      return out;
    }
    try {
      collect(JSON.readTree(Base64.getDecoder().decode(bodyB64)), out);
    } catch (IOException | IllegalArgumentException e) {
      // not an entry we can read: nothing to match
    }
    return out;
  }

  private static void collect(JsonNode n, List<String> out) {
    if (n.isTextual()) {
      String s = n.asText();
      if (s.startsWith("LS0tLS1CRUdJTi")) { // base64 of "-----BEGIN"
        try {
          out.add(new String(Base64.getDecoder().decode(s), StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
          // not base64 after all
        }
      } else if (s.startsWith("-----BEGIN")) {
        out.add(s);
      }
    } else if (n instanceof ObjectNode || n instanceof ArrayNode) {
      n.elements().forEachRemaining(c -> collect(c, out));
    }
  }

  private static String derToPem(String b64) {
    return b64.isEmpty() ? "" : "-----BEGIN CERTIFICATE-----" + b64 + "-----END CERTIFICATE-----";
  }

  private static String sha256(byte[] b) {
    return Digest.of(b).hex();
  }
}
