package dev.airseal.trust;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;

/**
 * Writes a {@link TrustedRoot} as protobuf JSON: lowerCamelCase names, bytes in standard base64,
 * timestamps as RFC 3339 in UTC with 0, 3, 6 or 9 fraction digits (what {@code Instant#toString}
 * gives), empty strings and absent messages left out as protobuf does.
 */
final class TrustedRootWriter {
  private static final Base64.Encoder B64 = Base64.getEncoder();

  private TrustedRootWriter() {}

  static byte[] write(TrustedRoot root) {
    // "operator" came with the v0.2 media type; clients built on older protobuf-specs (cosign 2.5
    // among them) refuse it as an unknown field, so a v0.1 document does not carry it.
    boolean operators = !TrustedRoot.MEDIA_TYPE_V01.equals(root.mediaType());
    ObjectNode out = TrustedRoot.JSON.createObjectNode();
    out.put("mediaType", root.mediaType());
    ArrayNode tlogs = out.putArray("tlogs");
    for (TlogInstance t : root.tlogs()) {
      ObjectNode n = log(tlogs.addObject(), t.baseUrl(), t.hashAlgorithm(), t.rawPublicKey(),
          t.keyDetails(), t.validFor(), t.logId());
      if (t.checkpointKeyId() != null) {
        n.putObject("checkpointKeyId").put("keyId", B64.encodeToString(t.checkpointKeyId()));
      }
      if (operators && t.operator() != null) {
        n.put("operator", t.operator());
      }
    }
    ArrayNode cas = out.putArray("certificateAuthorities");
    root.certificateAuthorities().forEach(ca -> authority(cas.addObject(), ca, operators));
    ArrayNode ctlogs = out.putArray("ctlogs");
    for (CtLog c : root.ctlogs()) {
      ObjectNode n = log(ctlogs.addObject(), c.baseUrl(), c.hashAlgorithm(), c.rawPublicKey(),
          c.keyDetails(), c.validFor(), c.logId());
      if (operators && c.operator() != null) {
        n.put("operator", c.operator());
      }
    }
    ArrayNode tsas = out.putArray("timestampAuthorities");
    root.timestampAuthorities().forEach(ca -> authority(tsas.addObject(), ca, operators));
    try {
      return TrustedRoot.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(out);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }

  private static ObjectNode log(ObjectNode n, String baseUrl, String hash, byte[] raw,
      String details, ValidFor validFor, byte[] logId) {
    n.put("baseUrl", baseUrl).put("hashAlgorithm", hash);
    ObjectNode pk = n.putObject("publicKey")
        .put("rawBytes", B64.encodeToString(raw))
        .put("keyDetails", details);
    range(pk.putObject("validFor"), validFor);
    n.putObject("logId").put("keyId", B64.encodeToString(logId));
    return n;
  }

  private static void authority(ObjectNode n, CertificateAuthority ca, boolean operators) {
    ObjectNode subject = n.putObject("subject");
    if (!ca.subjectOrganization().isEmpty()) {
      subject.put("organization", ca.subjectOrganization());
    }
    if (!ca.subjectCommonName().isEmpty()) {
      subject.put("commonName", ca.subjectCommonName());
    }
    if (!ca.uri().isEmpty()) {
      n.put("uri", ca.uri());
    }
    ArrayNode certs = n.putObject("certChain").putArray("certificates");
    for (X509Certificate c : ca.chain()) {
      try {
        certs.addObject().put("rawBytes", B64.encodeToString(c.getEncoded()));
      } catch (CertificateEncodingException e) {
        throw new IllegalStateException("a parsed certificate always re-encodes", e);
      }
    }
    range(n.putObject("validFor"), ca.validFor());
    if (operators && ca.operator() != null) {
      n.put("operator", ca.operator());
    }
  }

  private static void range(ObjectNode n, ValidFor v) {
    n.put("start", v.start().toString());
    if (v.end() != null) {
      n.put("end", v.end().toString());
    }
  }
}
