package dev.airseal.policy;

import java.util.Locale;

/**
 * An image as Kyverno writes it before matching {@code imageReferences}: the registry added when
 * the first path component is not one ({@code nginx} → {@code docker.io/nginx:latest}, with no
 * {@code library/}), {@code :latest} when there is neither tag nor digest, and the tag dropped
 * when a digest is given ({@code ImageInfo.String()} in pkg/utils/api).
 */
final class KyvernoImages {
  static final String DEFAULT_REGISTRY = "docker.io";

  private KyvernoImages() {}

  static String normalize(String image) {
    String name = image.trim();
    int slash = name.indexOf('/');
    if (slash == -1 || isDefaultable(name.substring(0, slash))) {
      name = DEFAULT_REGISTRY + "/" + name;
    }
    String digest = "";
    int at = name.indexOf('@');
    if (at >= 0) {
      digest = name.substring(at);
      name = name.substring(0, at);
    }
    int lastSlash = name.lastIndexOf('/');
    int colon = name.lastIndexOf(':');
    boolean hasTag = colon > lastSlash;
    if (!digest.isEmpty()) {
      return (hasTag ? name.substring(0, colon) : name) + digest;
    }
    return hasTag ? name : name + ":latest";
  }

  private static boolean isDefaultable(String first) {
    return first.indexOf('.') < 0 && first.indexOf(':') < 0 && !first.equals("localhost")
        && first.toLowerCase(Locale.ROOT).equals(first);
  }
}
