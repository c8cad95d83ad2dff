package dev.airseal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.airseal.testing.Vectors;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** verify-bundle speaks the sigstore-conformance CLI protocol: exit 0 only on success. */
class VerifyBundleCommandTest {
  private static Path cases() {
    return Vectors.dir("sigstore-conformance/assets/bundle-verify");
  }

  private static int run(String... args) {
    return new CommandLine(new VerifyBundleCommand()).execute(args);
  }

  @Test
  void verifyBundle_exitsZeroForKeylessBundleByDigest() {
    Path c = cases().resolve("rekor2-happy-path");
    assertEquals(
        0,
        run(
            "--bundle", c.resolve("bundle.sigstore.json").toString(),
            "--certificate-identity",
            "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main",
            "--certificate-oidc-issuer", "https://token.actions.githubusercontent.com",
            "--trusted-root", c.resolve("trusted_root.json").toString(),
            "sha256:a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf"));
  }

  @Test
  void verifyBundle_exitsOneForWrongKey() {
    Path c = cases().resolve("managed-key-wrong-key_fail");
    Path root = Vectors.dir("sigstore-public-good-trust").resolve("production/trusted_root.json");
    assertEquals(
        1,
        run(
            "--bundle", c.resolve("bundle.sigstore.json").toString(),
            "--key", c.resolve("key.pub").toString(),
            "--trusted-root", root.toString(),
            cases().resolve("a.txt").toString()));
  }

  @Test
  void verifyBundle_exitsZeroForManagedKey() {
    Path c = cases().resolve("managed-key-happy-path");
    Path root = Vectors.dir("sigstore-public-good-trust").resolve("production/trusted_root.json");
    assertEquals(
        0,
        run(
            "--bundle", c.resolve("bundle.sigstore.json").toString(),
            "--key", c.resolve("key.pub").toString(),
            "--trusted-root", root.toString(),
            cases().resolve("a.txt").toString()));
  }
}
