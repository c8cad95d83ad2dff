package dev.airseal.cli;

import dev.airseal.verify.Artifact;
import dev.airseal.verify.BundleVerifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** cosign's {@code verify-blob} for Sigstore bundles, offline against a given trusted root. */
@Command(
    name = "verify-blob",
    description = {
      "Verify a file against a Sigstore bundle, offline (cosign verify-blob flags).",
      "Exit status 0 only when the bundle verifies."
    })
public class VerifyBlobCommand implements Callable<Integer> {
  @Mixin BlobVerifyFlags flags;

  @Parameters(index = "0", paramLabel = "FILE", description = "The signed file.")
  Path file;

  @Override
  public Integer call() {
    String problem = flags.problem();
    if (problem != null) {
      return BlobVerifyFlags.error(problem);
    }
    try {
      Artifact a = Artifact.ofBytes(Files.readAllBytes(file));
      var v = BundleVerifier.verify(Files.readAllBytes(flags.bundle), a, flags.policy(), flags.root());
      return flags.report(v, file + " " + a, System.out, System.err);
    } catch (Exception e) {
      return BlobVerifyFlags.error(e.getMessage() != null ? e.getMessage() : e.toString());
    }
  }
}
