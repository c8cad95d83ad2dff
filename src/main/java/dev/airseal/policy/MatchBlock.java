package dev.airseal.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A rule's {@code match} or {@code exclude}: {@code any} (one filter suffices), {@code all} (every
 * filter), or the legacy direct form ({@code resources} at the top). Filters on the requesting
 * user ({@code subjects}, {@code roles}, {@code clusterRoles}) are refused: the admission context
 * Airseal evaluates carries no user.
 */
record MatchBlock(List<ResourceDescription> any, List<ResourceDescription> all) {
  private static final Set<String> FILTER = Set.of("resources", "subjects", "roles", "clusterRoles");
  private static final String NO_USERS =
      "matching on the requesting user is not supported (the admission context carries no user)";

  static MatchBlock parse(Fields f) throws PolicyException {
    f.only(Set.of("any", "all", "resources", "subjects", "roles", "clusterRoles"));
    boolean legacy = f.has("resources") || f.has("subjects") || f.has("roles") || f.has("clusterRoles");
    if (legacy && (f.has("any") || f.has("all"))) {
      throw f.error("use either any/all or resources, not both");
    }
    if (legacy) {
      return new MatchBlock(List.of(), List.of(filter(f)));
    }
    List<ResourceDescription> any = new ArrayList<>();
    for (Fields e : f.list("any")) {
      any.add(filter(e));
    }
    List<ResourceDescription> all = new ArrayList<>();
    for (Fields e : f.list("all")) {
      all.add(filter(e));
    }
    return new MatchBlock(List.copyOf(any), List.copyOf(all));
  }

  private static ResourceDescription filter(Fields f) throws PolicyException {
    f.only(FILTER);
    for (String user : List.of("subjects", "roles", "clusterRoles")) {
      f.refuse(user, NO_USERS);
    }
    ResourceDescription d = ResourceDescription.parse(f.requireObject("resources"));
    if (d.isEmpty()) {
      throw f.error("resources", "an empty resource filter would select everything; name kinds at least");
    }
    return d;
  }

  boolean isEmpty() {
    return any.isEmpty() && all.isEmpty();
  }

  boolean matches(AdmissionContext r, Set<String> autogenKinds) {
    if (!any.isEmpty() && any.stream().noneMatch(d -> d.matches(r, autogenKinds))) {
      return false;
    }
    return all.stream().allMatch(d -> d.matches(r, autogenKinds));
  }

  List<ResourceDescription> descriptions() {
    List<ResourceDescription> out = new ArrayList<>(any);
    out.addAll(all);
    return out;
  }
}
