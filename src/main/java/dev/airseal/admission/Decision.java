package dev.airseal.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * What admission answers for one request: allowed or denied (with an HTTP-style code and a message
 * naming the image, the rule and the failed check), warnings, the JSON Patch of a mutation, and
 * what the audit records.
 *
 * @param outcome the audit outcome: allow, deny or warn (allowed with warnings)
 * @param detail the audit detail: policy version, evidence versions used, per-image verdicts
 */
public record Decision(
    boolean allowed, int code, String message, List<String> warnings, List<JsonPatches.Op> patch, String outcome,
    ObjectNode detail) {
  public Decision {
    warnings = List.copyOf(warnings);
    patch = List.copyOf(patch);
  }
}
