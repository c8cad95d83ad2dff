package dev.airseal.signing.cosign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/** in-toto Statement v1 about one subject, with cosign's predicate-type names. */
public final class InTotoStatement {
  public static final String TYPE_V1 = "https://in-toto.io/Statement/v1";
  public static final String PAYLOAD_TYPE = "application/vnd.in-toto+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  // cosign's --type shorthands (cosign pkg/cosign/attestation).
  private static final Map<String, String> PREDICATE_TYPES =
      Map.of(
          "custom", "https://cosign.sigstore.dev/attestation/v1",
          "slsaprovenance", "https://slsa.dev/provenance/v0.2",
          "slsaprovenance02", "https://slsa.dev/provenance/v0.2",
          "slsaprovenance1", "https://slsa.dev/provenance/v1",
          "spdx", "https://spdx.dev/Document",
          "spdxjson", "https://spdx.dev/Document",
          "cyclonedx", "https://cyclonedx.org/bom",
          "link", "https://in-toto.io/Link/v1",
          "vuln", "https://cosign.sigstore.dev/attestation/vuln/v1",
          "openvex", "https://openvex.dev/ns");

  private InTotoStatement() {}

  /** A shorthand's predicate type, or the argument itself when it is a URI. */
  public static String predicateType(String type) {
    String t = PREDICATE_TYPES.get(type.toLowerCase(Locale.ROOT));
    if (t != null) {
      return t;
    }
    if (type.contains("://")) {
      return type;
    }
    throw new IllegalArgumentException(
        "unknown predicate type '" + type + "': use a URI or one of " + PREDICATE_TYPES.keySet());
  }

  public static byte[] statement(String subjectName, String sha256Hex, String predicateType, JsonNode predicate) {
    ObjectNode s = JSON.createObjectNode();
    s.put("_type", TYPE_V1);
    ObjectNode subject = s.putArray("subject").addObject();
    subject.put("name", subjectName);
    subject.putObject("digest").put("sha256", sha256Hex);
    s.put("predicateType", predicateType);
    s.set("predicate", predicate);
    return s.toString().getBytes(StandardCharsets.UTF_8);
  }
}
