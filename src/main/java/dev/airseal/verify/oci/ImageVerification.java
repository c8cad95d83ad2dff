package dev.airseal.verify.oci;

import dev.airseal.oci.Digest;
import dev.airseal.verify.Verdict;
import java.util.List;
import java.util.Objects;

/**
 * The verdict on an image: allowed when at least one signature (or attestation) passed, as cosign
 * decides; every signature found is listed with its own verdict.
 */
public record ImageVerification(Digest image, Verdict verdict, List<SignatureResult> signatures) {
  public ImageVerification {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(verdict, "verdict");
    signatures = List.copyOf(signatures);
  }

  public boolean allowed() {
    return verdict.allowed();
  }

  /** The signatures that passed. */
  public List<SignatureResult> verified() {
    return signatures.stream().filter(s -> s.verdict().allowed()).toList();
  }
}
