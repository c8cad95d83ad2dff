package dev.airseal.admission;

/** A body that is not an {@code admission.k8s.io/v1} AdmissionReview request we can answer. */
public final class AdmissionReviewException extends Exception {
  public AdmissionReviewException(String message) {
    super(message);
  }
}
