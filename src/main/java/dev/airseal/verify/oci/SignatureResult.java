package dev.airseal.verify.oci;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airseal.verify.Verdict;
import java.util.Objects;
import java.util.Optional;

/**
 * The verdict on one signature or attestation of an image.
 *
 * @param source where it was found, e.g. {@code sha256-<hex>.sig layer 0 (sha256:…)} or
 *     {@code referrer sha256:…}
 * @param payload the signed document: the simple-signing payload of a signature, the in-toto
 *     statement of an attestation or v3 bundle; empty when it could not be read. Trust it only
 *     when the verdict allows.
 */
public record SignatureResult(String source, Verdict verdict, Optional<JsonNode> payload) {
  public SignatureResult {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(payload, "payload");
  }

  /** The statement's predicate type (attestations and v3 bundles), or empty. */
  public Optional<String> predicateType() {
    return payload.map(p -> p.path("predicateType")).filter(JsonNode::isTextual).map(JsonNode::asText);
  }

  /** The statement's predicate, for policy conditions on a verified attestation. */
  public Optional<JsonNode> predicate() {
    return payload.map(p -> p.get("predicate")).filter(Objects::nonNull);
  }
}
