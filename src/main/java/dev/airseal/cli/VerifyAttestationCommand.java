package dev.airseal.cli;

import dev.airseal.signing.cosign.InTotoStatement;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cosign verify-attestation}, offline: an attestation of the given type must verify. */
@Command(
    name = "verify-attestation",
    description = "Verify an image's in-toto attestations (.att layers and v3 bundle referrers) offline.")
public class VerifyAttestationCommand implements Callable<Integer> {
  @Mixin ImageVerifyFlags flags;

  @Option(names = "--type", defaultValue = "custom",
      description = "Predicate type: slsaprovenance, slsaprovenance1, cyclonedx, spdxjson, openvex, vuln, link, custom (default), or a URI.")
  String type;

  @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "registry/repo@sha256:... (a tag is resolved once)")
  List<String> images;

  @Override
  public Integer call() {
    String predicateType;
    try {
      predicateType = InTotoStatement.predicateType(type);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      return 1;
    }
    return flags.run(images, "attestations", (v, d) -> v.verifyAttestations(d, Optional.of(predicateType)));
  }
}
