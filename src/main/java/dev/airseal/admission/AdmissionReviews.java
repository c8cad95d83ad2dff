package dev.airseal.admission;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
    // Written field by field rather than built as a tree first: this runs for every review, most
    // often on the event loop (docs/admission.md, Performance).
    com.fasterxml.jackson.core.util.ByteArrayBuilder out = new com.fasterxml.jackson.core.util.ByteArrayBuilder(
        256 + uid.length() + (d.allowed() ? 0 : d.message().length() * 2));
    try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("apiVersion", API_VERSION);
      g.writeStringField("kind", KIND);
      g.writeObjectFieldStart("response");
      g.writeStringField("uid", uid);
      g.writeBooleanField("allowed", d.allowed());
      if (!d.allowed()) {
        g.writeObjectFieldStart("status");
        g.writeNumberField("code", d.code());
        g.writeStringField("message", d.message());
        g.writeEndObject();
      }
      if (!d.warnings().isEmpty()) {
        g.writeArrayFieldStart("warnings");
        for (String w : d.warnings()) {
          g.writeString(w);
        }
        g.writeEndArray();
      }
      if (d.allowed() && !d.patch().isEmpty()) {
        g.writeStringField("patchType", "JSONPatch");
        g.writeStringField("patch", Base64.getEncoder().encodeToString(JsonPatches.toJson(d.patch())));
      }
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }
}
