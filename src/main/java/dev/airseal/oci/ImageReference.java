package dev.airseal.oci;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An image reference as Docker and cosign read it: {@code [registry/]repository[:tag][@digest]},
 * with Docker Hub's defaults ({@code docker.io}, {@code library/}) filled in.
 */
public record ImageReference(String registry, String repository, String tag, Digest digest) {
  public static final String DOCKER_HUB = "docker.io";
  private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

  public ImageReference {
    if (tag == null && digest == null) {
      throw new IllegalArgumentException("reference needs a tag or a digest");
    }
  }

  public static ImageReference parse(String ref) {
    if (ref == null || ref.isBlank() || ref.length() > 4096) {
      throw new IllegalArgumentException("empty or oversized image reference");
    }
    String rest = ref;
    Digest digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = Digest.parse(rest.substring(at + 1));
      rest = rest.substring(0, at);
    }
    String registry = DOCKER_HUB;
    int slash = rest.indexOf('/');
    if (slash > 0) {
      String first = rest.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
        registry = first;
        rest = rest.substring(slash + 1);
      }
    }
    String tag = null;
    int colon = rest.lastIndexOf(':');
    if (colon >= 0) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      if (!TAG.matcher(tag).matches()) {
        throw new IllegalArgumentException("invalid tag '" + tag + "' in " + ref);
      }
    }
    if (registry.equals(DOCKER_HUB) && !rest.contains("/")) {
      rest = "library/" + rest;
    }
    for (String c : rest.split("/", -1)) {
      if (!COMPONENT.matcher(c).matches()) {
        throw new IllegalArgumentException("invalid repository '" + rest + "' in " + ref);
      }
    }
    if (tag == null && digest == null) {
      tag = "latest";
    }
    return new ImageReference(registry.toLowerCase(Locale.ROOT), rest, tag, digest);
  }

  /** {@code registry/repository}: what cosign writes as the docker-reference it signed. */
  public String context() {
    return registry + "/" + repository;
  }

  public ImageReference withDigest(Digest d) {
    return new ImageReference(registry, repository, null, d);
  }

  public ImageReference withTag(String t) {
    return new ImageReference(registry, repository, t, null);
  }

  /** The tag or digest to ask a registry for; the digest wins when both are given. */
  public String reference() {
    return digest != null ? digest.toString() : tag;
  }

  @Override
  public String toString() {
    return context() + (digest != null ? "@" + digest : ":" + tag);
  }
}
