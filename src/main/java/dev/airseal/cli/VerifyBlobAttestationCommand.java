package dev.airseal.cli;

import dev.airseal.signing.cosign.InTotoStatement;
import dev.airseal.verify.Artifact;
import dev.airseal.verify.AttestationVerifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * cosign's {@code verify-blob-attestation} for Sigstore bundles: the DSSE statement names the file
 * as a subject and carries the predicate type of {@code --type}.
 */
@Command(
    name = "verify-blob-attestation",
    description = {
      "Verify an in-toto attestation about a file in a Sigstore bundle, offline",
      "(cosign verify-blob-attestation flags). Exit status 0 only when it verifies."
    })
public class VerifyBlobAttestationCommand implements Callable<Integer> {
  @Mixin BlobVerifyFlags flags;

  // cosign's default, so that a bare invocation means what it means to cosign users.
  @Option(names = "--type", defaultValue = "custom",
      description = "Predicate type: a URI or a cosign shorthand (slsaprovenance, cyclonedx, spdxjson, ...; default: ${DEFAULT-VALUE}).")
  String type;

  @Parameters(index = "0", paramLabel = "FILE", description = "The attested file (the statement's subject).")
  Path file;

  @Override
  public Integer call() {
    String problem = flags.problem();
    if (problem != null) {
      return BlobVerifyFlags.error(problem);
    }
    try {
      String predicateType = InTotoStatement.predicateType(type);
      Artifact a = Artifact.ofBytes(Files.readAllBytes(file));
      var v = AttestationVerifier.verify(
          Files.readAllBytes(flags.bundle), a, predicateType, flags.policy(), flags.root());
      return flags.report(v, file + " " + a, System.out, System.err);
    } catch (Exception e) {
      return BlobVerifyFlags.error(e.getMessage() != null ? e.getMessage() : e.toString());
    }
  }
}
