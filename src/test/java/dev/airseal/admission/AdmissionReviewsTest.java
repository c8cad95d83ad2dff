package dev.airseal.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The response review, written field by field, is exactly the AdmissionReview v1 response the API
 * server reads: the same JSON as building it as a tree, for allowed, denied, warned and patched
 * decisions, with text that needs escaping.
 */
class AdmissionReviewsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectNode DETAIL = JSON.createObjectNode();

  // What the API server expects, built as a tree (the layout respond() used to build).
  private static byte[] expected(String uid, Decision d) throws Exception {
    ObjectNode review = JSON.createObjectNode().put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
    ObjectNode r = review.putObject("response").put("uid", uid).put("allowed", d.allowed());
    if (!d.allowed()) {
      r.putObject("status").put("code", d.code()).put("message", d.message());
    }
    if (!d.warnings().isEmpty()) {
      d.warnings().forEach(r.putArray("warnings")::add);
    }
    if (d.allowed() && !d.patch().isEmpty()) {
      r.put("patchType", "JSONPatch").put("patch", Base64.getEncoder().encodeToString(JsonPatches.toJson(d.patch())));
    }
    return JSON.writeValueAsBytes(review);
  }

  @Test
  void respond_writesTheSameReviewAsATree() throws Exception {
    List<Decision> decisions = List.of(
        new Decision(true, 200, "", List.of(), List.of(), "allow", DETAIL),
        new Decision(false, 403, "resource Pod/default/p was blocked due to the following policies\n\n"
            + "check-images:\n  signed: 'image \"a\\b\" — ünïcode \u0001'", List.of(), List.of(), "deny", DETAIL),
        new Decision(true, 200, "", List.of("policy p/r: warned \"quoted\"", "second"), List.of(), "warn", DETAIL),
        new Decision(true, 200, "", List.of("w"), List.of(new JsonPatches.Op("/spec/containers/0/image",
            "registry.site/app:1.0@sha256:" + "ab".repeat(32))), "warn", DETAIL),
        new Decision(false, 500, "airseal could not evaluate x: boom", List.of("w"),
            List.of(new JsonPatches.Op("/spec/containers/0/image", "x")), "deny", DETAIL));
    for (Decision d : decisions) {
      String uid = "705ab4f5-6393-11e8-b7cc-42010a800002";
      byte[] got = AdmissionReviews.respond(uid, d);
      assertThat(new String(got, java.nio.charset.StandardCharsets.UTF_8))
          .isEqualTo(new String(expected(uid, d), java.nio.charset.StandardCharsets.UTF_8));
      JsonNode r = JSON.readTree(got).path("response");
      assertThat(r.path("uid").asText()).isEqualTo(uid);
      assertThat(r.path("allowed").asBoolean()).isEqualTo(d.allowed());
    }
  }
}
