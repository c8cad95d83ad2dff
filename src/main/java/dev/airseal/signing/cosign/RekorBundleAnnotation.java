package dev.airseal.signing.cosign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * cosign's {@code dev.sigstore.cosign/bundle} annotation: the SET and the signed fields of the
 * Rekor entry (body, integratedTime, logIndex, logID), enough to check the SET offline.
 */
public final class RekorBundleAnnotation {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RekorBundleAnnotation() {}

  public static String from(JsonNode rekorEntry) {
    ObjectNode b = JSON.createObjectNode();
    b.put("SignedEntryTimestamp", rekorEntry.path("verification").path("signedEntryTimestamp").asText());
    ObjectNode p = b.putObject("Payload");
    p.put("body", rekorEntry.path("body").asText());
    p.put("integratedTime", rekorEntry.path("integratedTime").asLong());
    p.put("logIndex", rekorEntry.path("logIndex").asLong());
    p.put("logID", rekorEntry.path("logID").asText());
    return b.toString();
  }
}
