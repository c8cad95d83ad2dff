package dev.airseal.admission;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Base64;

/**
 * AdmissionReview {@code admission.k8s.io/v1} in and out.
 *
 * <p>SPEC: https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/
 * "The webhook responds with ... an AdmissionReview object (in the same version they were sent),
 * with the response stanza populated ... response.uid, copied from the request.uid sent to the
 * webhook; response.allowed". A patch is "a base64-encoded array of JSON patch operations" with
 * {@code patchType: JSONPatch}; a denial may carry {@code status.code} and {@code status.message};
 * {@code warnings} are shown to the client (at most 256 characters each are recommended).
 */
public final class AdmissionReviews {
  public static final String API_VERSION = "admission.k8s.io/v1";
  public static final String KIND = "AdmissionReview";
  static final ObjectMapper JSON = new ObjectMapper();

  private AdmissionReviews() {}

  public static AdmissionRequest parse(byte[] body) throws AdmissionReviewException {
    JsonNode review;
    try {
      review = JSON.readTree(body);
    } catch (IOException e) {
      throw new AdmissionReviewException("body is not JSON: " + e.getMessage());
    }
    if (review == null || !review.isObject()) {
      throw new AdmissionReviewException("body is not a JSON object");
    }
    if (!API_VERSION.equals(review.path("apiVersion").asText()) || !KIND.equals(review.path("kind").asText())) {
      throw new AdmissionReviewException("expected apiVersion " + API_VERSION + " kind " + KIND + ", got "
          + review.path("apiVersion").asText("(none)") + " " + review.path("kind").asText("(none)"));
    }
    JsonNode r = review.path("request");
    if (!r.isObject()) {
      throw new AdmissionReviewException("AdmissionReview has no request");
    }
    String uid = r.path("uid").asText("");
    if (uid.isEmpty()) {
      throw new AdmissionReviewException("request.uid is missing");
    }
    String kind = r.path("kind").path("kind").asText("");
    String operation = r.path("operation").asText("");
    if (kind.isEmpty() || operation.isEmpty()) {
      throw new AdmissionReviewException("request.kind.kind and request.operation are required");
    }
    JsonNode object = r.path("object");
    JsonNode old = r.path("oldObject");
    return new AdmissionRequest(
        uid,
        kind,
        r.path("namespace").asText(object.path("metadata").path("namespace").asText("")),
        r.path("name").asText(object.path("metadata").path("name").asText("")),
        operation,
        r.path("subResource").asText(""),
        object.isObject() ? object : null,
        old.isObject() ? old : null,
        r.path("dryRun").asBoolean(false),
        r.path("userInfo").path("username").asText(""));
  }

  /** The response review for {@code uid}: what the API server reads. */
  public static byte[] respond(String uid, Decision d) {
    ObjectNode review = JSON.createObjectNode();
    review.put("apiVersion", API_VERSION);
    review.put("kind", KIND);
    ObjectNode response = review.putObject("response");
    response.put("uid", uid);
    response.put("allowed", d.allowed());
    if (!d.allowed()) {
      ObjectNode status = response.putObject("status");
      status.put("code", d.code());
      status.put("message", d.message());
    }
    if (!d.warnings().isEmpty()) {
      ArrayNode w = response.putArray("warnings");
      d.warnings().forEach(w::add);
    }
    if (d.allowed() && !d.patch().isEmpty()) {
      response.put("patchType", "JSONPatch");
      response.put("patch", Base64.getEncoder().encodeToString(JsonPatches.toJson(d.patch())));
    }
    try {
      return JSON.writeValueAsBytes(review);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
