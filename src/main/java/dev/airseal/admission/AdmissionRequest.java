package dev.airseal.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * The parts of an {@code admission.k8s.io/v1} AdmissionRequest that admission reads. {@code kind}
 * is the object's kind ({@code request.kind.kind}); {@code object} is absent on DELETE and
 * {@code oldObject} is present only on UPDATE and DELETE.
 */
public record AdmissionRequest(
    String uid,
    String kind,
    String namespace,
    String name,
    String operation,
    String subResource,
    JsonNode object,
    JsonNode oldObject,
    boolean dryRun,
    String user) {
  public AdmissionRequest {
    Objects.requireNonNull(uid, "uid");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(operation, "operation");
    namespace = namespace == null ? "" : namespace;
    name = name == null ? "" : name;
    subResource = subResource == null ? "" : subResource;
    user = user == null || user.isEmpty() ? "kube-apiserver" : user;
  }

  /** {@code namespace/name Kind}: the audit subject. */
  public String subject() {
    return namespace + "/" + name + " " + kind;
  }
}
