package dev.airseal.verify;

import dev.airseal.trust.TrustedRoot;
import java.nio.file.Path;

/**
 * One bundle-verification case of a suite whose expectations come from its README rather than file
 * names.
 *
 * @param artifact null for a DSSE bundle verified without an artifact
 */
record BundleCase(
    String name,
    Path bundle,
    Artifact artifact,
    VerificationPolicy policy,
    RootSource root,
    boolean expectPass) {

  /** Builds the trusted root lazily, so a root that fails to build denies only its cases. */
  @FunctionalInterface
  interface RootSource {
    TrustedRoot get() throws Exception;
  }

  Verdict run() throws Exception {
    TrustedRoot r;
    try {
      r = root.get();
    } catch (Exception e) {
      return Verdict.deny("trustedRoot", "does not parse: " + e.getMessage());
    }
    return BundleVerifier.verify(java.nio.file.Files.readAllBytes(bundle), artifact, policy, r);
  }

  @Override
  public String toString() {
    return name;
  }
}
