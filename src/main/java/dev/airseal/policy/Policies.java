package dev.airseal.policy;

import java.util.List;

/**
 * A loaded, validated set of Kyverno policies: the whole set parses or none of it does.
 * {@link #version()} changes whenever any document's content changes (verdict caches key on it).
 */
public interface Policies {
  String version();

  /** Names of the loaded policies, for the console and the decision audit. */
  List<String> names();

  /**
   * The checks that apply to {@code image} (as written in the pod spec) in this request: rules whose
   * {@code match}/{@code exclude} select the request and whose {@code imageReferences} (minus
   * {@code skipImageReferences}) select the image. Empty: no policy has an opinion.
   */
  List<ImageCheck> checksFor(AdmissionContext request, String image);
}
