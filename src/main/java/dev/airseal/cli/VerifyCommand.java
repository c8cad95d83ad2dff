package dev.airseal.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code cosign verify}, offline: exit 0 only when every image has a signature that verifies. */
@Command(
    name = "verify",
    description = "Verify an image's cosign signatures (.sig layers and v3 bundle referrers) offline.")
public class VerifyCommand implements Callable<Integer> {
  @Mixin ImageVerifyFlags flags;

  @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "registry/repo@sha256:... (a tag is resolved once)")
  List<String> images;

  @Override
  public Integer call() {
    return flags.run(images, "signatures", (v, d) -> v.verifySignatures(d));
  }
}
