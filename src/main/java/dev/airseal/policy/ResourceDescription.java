package dev.airseal.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One {@code resources} block of a {@code match}/{@code exclude} filter: every condition given
 * must hold. Kinds are compared by their kind part ({@code apps/v1/Deployment} → {@code
 * Deployment}): admission hands us workload kinds whose names are unique across the groups we
 * serve. Names and namespaces take Kyverno wildcards.
 */
record ResourceDescription(
    List<String> kinds,
    List<String> names,
    List<String> namespaces,
    LabelSelector selector,
    LabelSelector namespaceSelector,
    Set<String> operations) {
  static final Set<String> OPERATIONS = Set.of("CREATE", "UPDATE", "DELETE", "CONNECT");

  static ResourceDescription parse(Fields f) throws PolicyException {
    f.only(Set.of("kinds", "name", "names", "namespaces", "selector", "namespaceSelector", "operations", "annotations"));
    f.refuse("annotations", "object annotations are not part of what admission matches on here; use selector");
    List<String> kinds = new ArrayList<>();
    List<Fields> kindList = f.list("kinds");
    List<String> raw = f.strings("kinds");
    for (int i = 0; i < raw.size(); i++) {
      kinds.add(kind(kindList.get(i), raw.get(i)));
    }
    List<String> names = new ArrayList<>(f.strings("names"));
    f.string("name").ifPresent(names::add);
    Set<String> ops = new java.util.LinkedHashSet<>();
    List<Fields> opList = f.list("operations");
    List<String> opRaw = f.strings("operations");
    for (int i = 0; i < opRaw.size(); i++) {
      String op = opRaw.get(i).toUpperCase(Locale.ROOT);
      if (!OPERATIONS.contains(op)) {
        throw opList.get(i).error("unknown operation \"" + opRaw.get(i) + "\" (CREATE, UPDATE, DELETE, CONNECT)");
      }
      ops.add(op);
    }
    LabelSelector sel = f.object("selector").isPresent() ? LabelSelector.parse(f.object("selector").get()) : null;
    LabelSelector nsSel = f.object("namespaceSelector").isPresent()
        ? LabelSelector.parse(f.object("namespaceSelector").get()) : null;
    return new ResourceDescription(
        List.copyOf(kinds), List.copyOf(names), f.strings("namespaces"), sel, nsSel, Set.copyOf(ops));
  }

  /** The kind part of {@code Pod}, {@code v1/Pod} or {@code apps/v1/Deployment}. */
  private static String kind(Fields where, String k) throws PolicyException {
    String[] parts = k.split("/", -1);
    if (k.isBlank() || parts.length > 3) {
      throw where.error("kind \"" + k + "\" is not Kind, version/Kind or group/version/Kind");
    }
    String kind = parts[parts.length - 1];
    if (kind.contains(".") && !kind.equals("*")) {
      throw where.error("kind \"" + k + "\" names a subresource; admission of subresources is not supported");
    }
    if (kind.isEmpty()) {
      throw where.error("kind \"" + k + "\" has no kind");
    }
    return kind;
  }

  /** Whether a filter here would keep Kyverno from generating rules for Pod controllers. */
  boolean blocksAutogen() {
    return !names.isEmpty() || selector != null || (kinds.size() > 1 && kinds.contains("Pod"));
  }

  boolean matches(AdmissionContext r, Set<String> autogenKinds) {
    if (!kinds.isEmpty() && kinds.stream().noneMatch(k -> kindMatches(k, r.kind(), autogenKinds))) {
      return false;
    }
    if (!names.isEmpty() && names.stream().noneMatch(n -> Wildcards.match(n, r.name()))) {
      return false;
    }
    if (!namespaces.isEmpty()
        && (r.namespace().isEmpty() || namespaces.stream().noneMatch(n -> Wildcards.match(n, r.namespace())))) {
      return false;
    }
    if (selector != null && !selector.matches(r.labels())) {
      return false;
    }
    if (namespaceSelector != null && (r.namespace().isEmpty() || !namespaceSelector.matches(r.namespaceLabels()))) {
      return false;
    }
    return operations.isEmpty() || operations.contains(r.operation().toUpperCase(Locale.ROOT));
  }

  private static boolean kindMatches(String pattern, String kind, Set<String> autogenKinds) {
    if (Wildcards.match(pattern, kind)) {
      return true;
    }
    // Kyverno's autogen: a rule written for Pods also covers the pod templates of controllers.
    return pattern.equals("Pod") && autogenKinds.contains(kind);
  }

  boolean isEmpty() {
    return kinds.isEmpty() && names.isEmpty() && namespaces.isEmpty() && selector == null
        && namespaceSelector == null && operations.isEmpty();
  }
}
