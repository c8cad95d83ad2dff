package dev.airseal.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Reads one Kyverno policy document into a {@link KyvernoPolicy}, refusing what it cannot honour. */
final class PolicyParser {
  static final String API_VERSION = "kyverno.io/v1";
  static final String AUTOGEN_ANNOTATION = "pod-policies.kyverno.io/autogen-controllers";
  static final Set<String> POD_CONTROLLERS =
      Set.of("DaemonSet", "Deployment", "Job", "StatefulSet", "ReplicaSet", "ReplicationController", "CronJob");
  /** Kyverno's default {@code webhookTimeoutSeconds}. */
  static final int DEFAULT_TIMEOUT = 10;

  private PolicyParser() {}

  static KyvernoPolicy parse(String document, JsonNode root) throws PolicyException {
    Fields f = new Fields(document, root, "");
    f.only(Set.of("apiVersion", "kind", "metadata", "spec", "status"));
    String apiVersion = f.requireString("apiVersion");
    if (!API_VERSION.equals(apiVersion)) {
      throw f.error("apiVersion", "\"" + apiVersion + "\" is not supported (" + API_VERSION + ")");
    }
    String kind = f.requireString("kind");
    if (!kind.equals("ClusterPolicy") && !kind.equals("Policy")) {
      throw f.error("kind", "\"" + kind + "\" is not ClusterPolicy or Policy");
    }
    Fields meta = f.requireObject("metadata");
    String name = meta.requireString("name");
    String namespace = null;
    if (kind.equals("Policy")) {
      namespace = meta.string("namespace").filter(s -> !s.isBlank())
          .orElseThrow(() -> meta.error("namespace", "required for a namespaced Policy"));
    } else if (meta.has("namespace")) {
      throw meta.error("namespace", "a ClusterPolicy has no namespace");
    }
    Fields spec = f.requireObject("spec");
    spec.only(Set.of("validationFailureAction", "background", "webhookTimeoutSeconds", "failurePolicy", "rules",
        "admission", "schemaValidation", "validationFailureActionOverrides"));
    spec.refuse("validationFailureActionOverrides",
        "per-namespace overrides are not supported; split the policy by namespace instead");
    boolean enforce = action(spec, "validationFailureAction", false);
    spec.bool("background", true);
    spec.bool("schemaValidation", true);
    boolean admission = spec.bool("admission", true);
    int timeout = spec.integer("webhookTimeoutSeconds").orElse(DEFAULT_TIMEOUT);
    if (timeout < 1 || timeout > 30) {
      throw spec.error("webhookTimeoutSeconds", "must be between 1 and 30 (Kubernetes' limits), not " + timeout);
    }
    String failurePolicy = spec.string("failurePolicy").orElse("Fail");
    if (!failurePolicy.equals("Fail") && !failurePolicy.equals("Ignore")) {
      throw spec.error("failurePolicy", "\"" + failurePolicy + "\" is not Fail or Ignore");
    }
    List<KyvernoPolicy.Rule> rules = new ArrayList<>();
    Set<String> ruleNames = new HashSet<>();
    List<Fields> ruleFields = spec.list("rules");
    if (ruleFields.isEmpty()) {
      throw spec.error("rules", "at least one rule is required");
    }
    for (Fields r : ruleFields) {
      KyvernoPolicy.Rule rule = rule(r, enforce);
      if (!ruleNames.add(rule.name())) {
        throw r.error("name", "duplicate rule name \"" + rule.name() + "\"");
      }
      rules.add(rule);
    }
    return new KyvernoPolicy(name, namespace, admission, timeout, failurePolicy.equals("Ignore"),
        autogen(meta, rules), List.copyOf(rules));
  }

  /** Enforce or Audit, in any case (Kyverno accepts {@code enforce} and {@code audit}). */
  private static boolean action(Fields f, String key, boolean dflt) throws PolicyException {
    if (!f.has(key)) {
      return dflt;
    }
    String a = f.requireString(key);
    return switch (a.toLowerCase(Locale.ROOT)) {
      case "enforce" -> true;
      case "audit" -> false;
      default -> throw f.error(key, "\"" + a + "\" is not Enforce or Audit");
    };
  }

  private static KyvernoPolicy.Rule rule(Fields r, boolean enforce) throws PolicyException {
    r.only(Set.of("name", "match", "exclude", "verifyImages", "validate", "mutate", "generate", "context",
        "preconditions", "imageExtractors", "celPreconditions", "skipBackgroundRequests"));
    String name = r.requireString("name");
    for (String other : List.of("validate", "mutate", "generate")) {
      r.refuse(other, "only verifyImages rules are supported");
    }
    r.refuse("context", "context entries (ConfigMaps, API calls, variables) cannot be resolved offline");
    r.refuse("preconditions", "preconditions are not supported");
    r.refuse("celPreconditions", "preconditions are not supported");
    r.refuse("imageExtractors", "custom image extractors are not supported; admission extracts images from "
        + "Pods and the pod templates of workload kinds");
    r.bool("skipBackgroundRequests", true);
    MatchBlock match = MatchBlock.parse(r.requireObject("match"));
    if (match.isEmpty()) {
      throw r.error("match", "any, all or resources is required");
    }
    MatchBlock exclude = r.has("exclude") ? MatchBlock.parse(r.requireObject("exclude"))
        : new MatchBlock(List.of(), List.of());
    List<KyvernoPolicy.VerifyImages> vis = new ArrayList<>();
    for (Fields v : r.list("verifyImages")) {
      vis.add(VerifyImagesParser.parse(v, enforce));
    }
    if (vis.isEmpty()) {
      throw r.error("verifyImages", "required: only verifyImages rules are supported");
    }
    return new KyvernoPolicy.Rule(name, match, exclude, List.copyOf(vis));
  }

  /**
   * Kyverno's autogen: when every rule matches only Pods (no names, no selector), the rules also
   * apply to the pod controllers named by the autogen annotation (default all of them; "none" turns
   * it off).
   */
  private static Set<String> autogen(Fields meta, List<KyvernoPolicy.Rule> rules) throws PolicyException {
    String annotation = null;
    if (meta.has("annotations")) {
      annotation = meta.stringMap("annotations").get(AUTOGEN_ANNOTATION);
    }
    boolean needed = false;
    for (KyvernoPolicy.Rule r : rules) {
      List<ResourceDescription> all = new ArrayList<>(r.match().descriptions());
      all.addAll(r.exclude().descriptions());
      for (ResourceDescription d : all) {
        if (d.blocksAutogen()) {
          return Set.of();
        }
        needed |= d.kinds().contains("Pod");
      }
    }
    if (!needed || "none".equals(annotation)) {
      return Set.of();
    }
    if (annotation == null) {
      return POD_CONTROLLERS;
    }
    Set<String> out = new LinkedHashSet<>();
    for (String k : annotation.split(",")) {
      String kind = k.trim();
      if (!POD_CONTROLLERS.contains(kind)) {
        throw meta.error("annotations." + AUTOGEN_ANNOTATION, "\"" + kind + "\" is not a Pod controller");
      }
      out.add(kind);
    }
    return Set.copyOf(out);
  }
}
