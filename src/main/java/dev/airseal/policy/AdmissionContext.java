package dev.airseal.policy;

import java.util.Map;
import java.util.Objects;

/**
 * The request a policy is matched against, as Kyverno's {@code match}/{@code exclude} see it:
 * operation (CREATE, UPDATE, DELETE, CONNECT), the object's kind, namespace, name and labels, and
 * the labels of its namespace.
 */
public record AdmissionContext(
    String operation,
    String kind,
    String namespace,
    String name,
    Map<String, String> labels,
    Map<String, String> namespaceLabels) {
  public AdmissionContext {
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(kind, "kind");
    namespace = namespace == null ? "" : namespace;
    name = name == null ? "" : name;
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    namespaceLabels = namespaceLabels == null ? Map.of() : Map.copyOf(namespaceLabels);
  }
}
