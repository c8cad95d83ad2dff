package dev.airseal.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * AdmissionReview {@code admission.k8s.io/v1} requests as the API server sends them (built to the
 * API reference: request.uid, kind {group, version, kind}, resource, namespace, name, operation,
 * userInfo, object, oldObject, dryRun, options), and readers for the responses.
 */
final class Reviews {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private Reviews() {}

  static ObjectNode pod(String name, String... images) {
    ObjectNode pod = JSON.createObjectNode();
    pod.put("apiVersion", "v1").put("kind", "Pod");
    pod.putObject("metadata").put("name", name);
    ArrayNode cs = pod.putObject("spec").putArray("containers");
    for (int i = 0; i < images.length; i++) {
      cs.addObject().put("name", "c" + i).put("image", images[i]);
    }
    return pod;
  }

  static ObjectNode yaml(Path file) {
    try {
      return (ObjectNode) YAML.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static ObjectNode review(String operation, String namespace, ObjectNode object, ObjectNode oldObject) {
    String kind = (object != null ? object : oldObject).path("kind").asText();
    String apiVersion = (object != null ? object : oldObject).path("apiVersion").asText();
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
    ObjectNode review = JSON.createObjectNode();
    review.put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
    ObjectNode r = review.putObject("request");
    r.put("uid", UUID.randomUUID().toString());
    r.putObject("kind").put("group", group).put("version", version).put("kind", kind);
    r.putObject("resource").put("group", group).put("version", version)
        .put("resource", kind.toLowerCase(java.util.Locale.ROOT) + "s");
    r.putObject("requestKind").put("group", group).put("version", version).put("kind", kind);
    r.put("name", (object != null ? object : oldObject).path("metadata").path("name").asText());
    r.put("namespace", namespace);
    r.put("operation", operation);
    r.putObject("userInfo").put("username", "admin").putArray("groups").add("system:authenticated");
    if (object != null) {
      ObjectNode o = object.deepCopy();
      ((ObjectNode) o.path("metadata")).put("namespace", namespace);
      r.set("object", o);
    } else {
      r.putNull("object");
    }
    if (oldObject != null) {
      r.set("oldObject", oldObject);
    } else {
      r.putNull("oldObject");
    }
    r.put("dryRun", false);
    r.putObject("options").put("apiVersion", "meta.k8s.io/v1").put("kind", "CreateOptions");
    return review;
  }

  static byte[] bytes(JsonNode n) {
    try {
      return JSON.writeValueAsBytes(n);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static JsonNode read(byte[] b) {
    try {
      return JSON.readTree(b);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The decoded JSON Patch of a response, or an empty array. */
  static JsonNode patch(JsonNode responseReview) {
    String p = responseReview.path("response").path("patch").asText("");
    return p.isEmpty() ? JSON.createArrayNode() : read(Base64.getDecoder().decode(p));
  }

  static List<String> warnings(JsonNode responseReview) {
    List<String> out = new java.util.ArrayList<>();
    responseReview.path("response").path("warnings").forEach(w -> out.add(w.asText()));
    return out;
  }
}
