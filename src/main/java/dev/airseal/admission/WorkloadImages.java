package dev.airseal.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where each workload kind keeps its pod spec, and the images in it: {@code containers},
 * {@code initContainers} and {@code ephemeralContainers}, each with the RFC 6901 pointer of its
 * {@code image} field so that {@code mutateDigest} can patch it.
 */
public final class WorkloadImages {
  /** Pointer of the pod spec inside an object of each kind. */
  static final Map<String, String> POD_SPEC = Map.of(
      "Pod", "/spec",
      "Deployment", "/spec/template/spec",
      "ReplicaSet", "/spec/template/spec",
      "StatefulSet", "/spec/template/spec",
      "DaemonSet", "/spec/template/spec",
      "Job", "/spec/template/spec",
      "ReplicationController", "/spec/template/spec",
      "CronJob", "/spec/jobTemplate/spec/template/spec");

  private static final List<String> CONTAINER_LISTS = List.of("containers", "initContainers", "ephemeralContainers");

  /** One {@code image} field: its value as written and its pointer. */
  public record ImageField(String image, String pointer) {}

  private WorkloadImages() {}

  public static boolean supports(String kind) {
    return POD_SPEC.containsKey(kind);
  }

  /** Every image field of {@code object} (a {@code kind}); empty for other kinds or no object. */
  public static List<ImageField> of(String kind, JsonNode object) {
    String spec = POD_SPEC.get(kind);
    if (spec == null || object == null) {
      return List.of();
    }
    JsonNode podSpec = object.at(spec);
    List<ImageField> out = new ArrayList<>();
    for (String list : CONTAINER_LISTS) {
      JsonNode cs = podSpec.path(list);
      for (int i = 0; i < cs.size(); i++) {
        JsonNode image = cs.get(i).path("image");
        if (image.isTextual() && !image.asText().isEmpty()) {
          out.add(new ImageField(image.asText(), spec + "/" + list + "/" + i + "/image"));
        }
      }
    }
    return out;
  }

  /** The distinct image strings of {@code object}, in order of first appearance. */
  public static Set<String> distinct(String kind, JsonNode object) {
    Set<String> s = new LinkedHashSet<>();
    for (ImageField f : of(kind, object)) {
      s.add(f.image());
    }
    return s;
  }
}
