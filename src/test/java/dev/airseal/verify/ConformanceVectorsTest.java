package dev.airseal.verify;

import dev.airseal.testing.Vectors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * sigstore-conformance bundle-verify: one case per directory, a {@code _fail} suffix means the
 * bundle must be denied (test/test_bundle.py::test_verify upstream).
 */
class ConformanceVectorsTest {
  static final String DEFAULT_IDENTITY =
      "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
  static final String DEFAULT_ISSUER = "https://token.actions.githubusercontent.com";

  /** Cases we still decide wrongly, with the reason; the test fails if one starts passing. */
  static final Map<String, String> KNOWN_GAPS = Map.of();

  private static final ExpectedVerdicts EXPECTED =
      new ExpectedVerdicts("sigstore-conformance bundle-verify", KNOWN_GAPS);

  static Stream<String> cases() throws IOException {
    Path dir = Vectors.dir("sigstore-conformance/assets/bundle-verify");
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void bundle(String name) throws IOException {
    Path base = Vectors.dir("sigstore-conformance/assets/bundle-verify");
    Path c = base.resolve(name);
    Path artifactFile = Files.exists(c.resolve("artifact")) ? c.resolve("artifact") : base.resolve("a.txt");
    Path rootFile =
        Files.exists(c.resolve("trusted_root.json"))
            ? c.resolve("trusted_root.json")
            : Vectors.dir("sigstore-public-good-trust").resolve("production/trusted_root.json");
    VerificationPolicy policy;
    try {
      policy =
          Files.exists(c.resolve("key.pub"))
              ? TestPolicies.key(c.resolve("key.pub"))
              : TestPolicies.identity(
                  optional(c.resolve("identity"), DEFAULT_IDENTITY), optional(c.resolve("issuer"), DEFAULT_ISSUER));
    } catch (IOException e) {
      // Whether a provider refuses a malformed key at parse time or at the signature check depends
      // on which JCA provider answers first; either way nothing verifies with it.
      EXPECTED.check(name, !name.endsWith("_fail"), Verdict.deny("policy.key", "key.pub does not parse: " + e.getMessage()));
      return;
    }
    Verdict v =
        TestPolicies.verify(
            c.resolve("bundle.sigstore.json"), Artifact.ofBytes(Files.readAllBytes(artifactFile)), policy, rootFile);
    EXPECTED.check(name, !name.endsWith("_fail"), v);
  }

  private static String optional(Path file, String fallback) throws IOException {
    return Files.exists(file) ? Files.readString(file).strip() : fallback;
  }

  @AfterAll
  static void tally() {
    EXPECTED.print();
  }
}
