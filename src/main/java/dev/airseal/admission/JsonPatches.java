package dev.airseal.admission;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** RFC 6902 JSON Patch operations, as much as {@code mutateDigest} needs. */
public final class JsonPatches {
  private JsonPatches() {}

  /** One {@code replace} of the string at {@code path} (an RFC 6901 pointer). */
  public record Op(String path, String value) {}

  /** SPEC: RFC 6901 section 3: "~" is written "~0" and "/" is written "~1" in a reference token. */
  public static String token(String s) {
    return s.replace("~", "~0").replace("/", "~1");
  }

  public static byte[] toJson(List<Op> ops) {
    ArrayNode a = AdmissionReviews.JSON.createArrayNode();
    for (Op o : ops) {
      ObjectNode n = a.addObject();
      n.put("op", "replace");
      n.put("path", o.path());
      n.put("value", o.value());
    }
    try {
      return AdmissionReviews.JSON.writeValueAsBytes(a);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
