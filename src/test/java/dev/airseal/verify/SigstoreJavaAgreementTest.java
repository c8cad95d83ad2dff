package dev.airseal.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airseal.testing.Vectors;
import dev.sigstore.KeylessVerifier;
import dev.sigstore.TrustedRootProvider;
import dev.sigstore.VerificationOptions;
import dev.sigstore.bundle.Bundle;
import dev.sigstore.strings.StringMatcher;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Side by side with sigstore-java 2.0.0 on the conformance suite's keyless bundles: every bundle it
 * accepts, we accept too. (It has known gaps, e.g. no certificate-vs-integrated-time check, so the
 * converse is not asserted: we may refuse what it lets through, and the tally says how often.)
 * Where it accepts a case the suite says must fail, the suite wins and the tally names the case.
 */
class SigstoreJavaAgreementTest {
  private static final String DEFAULT_IDENTITY =
      "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
  private static final String DEFAULT_ISSUER = "https://token.actions.githubusercontent.com";

  @Test
  void everyKeylessBundleSigstoreJavaAccepts_weAcceptToo() throws Exception {
    Path base = Vectors.dir("sigstore-conformance/assets/bundle-verify");
    Path production = Vectors.dir("sigstore-public-good-trust").resolve("production/trusted_root.json");
    int both = 0;
    int onlyUs = 0;
    int onlyThem = 0;
    int neither = 0;
    int unparsed = 0;
    List<String> disagreements = new ArrayList<>();
    List<String> theirGaps = new ArrayList<>();
    List<String> theyRefuse = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(base)) {
      for (Path c : dirs.filter(Files::isDirectory).sorted().toList()) {
        if (Files.exists(c.resolve("key.pub"))) {
          continue; // sigstore-java 2.0.0 has no key-based bundles
        }
        Path root = Files.exists(c.resolve("trusted_root.json")) ? c.resolve("trusted_root.json") : production;
        Path artifact = Files.exists(c.resolve("artifact")) ? c.resolve("artifact") : base.resolve("a.txt");
        String id = Files.exists(c.resolve("identity")) ? Files.readString(c.resolve("identity")).strip() : DEFAULT_IDENTITY;
        String iss = Files.exists(c.resolve("issuer")) ? Files.readString(c.resolve("issuer")).strip() : DEFAULT_ISSUER;
        boolean theirs;
        try {
          Bundle b = Bundle.from(new StringReader(Files.readString(c.resolve("bundle.sigstore.json"), StandardCharsets.UTF_8)));
          KeylessVerifier v = KeylessVerifier.builder().trustedRootProvider(TrustedRootProvider.from(root)).build();
          v.verify(artifact, b, VerificationOptions.builder()
              .addCertificateMatchers(VerificationOptions.CertificateMatcher.fulcio()
                  .subjectAlternativeName(StringMatcher.string(id)).issuer(StringMatcher.string(iss)).build())
              .build());
          theirs = true;
        } catch (Exception e) {
          theirs = false;
          if (!(e instanceof dev.sigstore.KeylessVerificationException)) {
            unparsed++;
          }
        }
        boolean ours = TestPolicies.verify(c.resolve("bundle.sigstore.json"),
            Artifact.ofBytes(Files.readAllBytes(artifact)), TestPolicies.identity(id, iss), root).allowed();
        if (theirs && ours) {
          both++;
        } else if (theirs) {
          onlyThem++;
          // A case the suite says must fail, accepted by sigstore-java: one of its known gaps
          // (no certificate-vs-integrated-time check, for one), where we follow the suite.
          (c.getFileName().toString().endsWith("_fail") ? theirGaps : disagreements).add(c.getFileName().toString());
        } else if (ours) {
          onlyUs++;
          theyRefuse.add(c.getFileName().toString());
        } else {
          neither++;
        }
      }
    }
    System.out.printf("sigstore-java agreement: both accept %d, both refuse %d, only we refuse %d,"
        + " only sigstore-java refuses %d (%d of its refusals were errors, not verdicts)%n",
        both, neither, onlyThem, onlyUs, unparsed);
    System.out.println("  sigstore-java accepts, the suite says fail (its gaps): " + theirGaps);
    System.out.println("  sigstore-java refuses, the suite says pass: " + theyRefuse);
    assertThat(both).as("cases both accept").isPositive();
    assertThat(disagreements).as("keyless bundles sigstore-java accepts and we refuse").isEmpty();
  }
}
