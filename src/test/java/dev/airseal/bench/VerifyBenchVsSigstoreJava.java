package dev.airseal.bench;

import dev.airseal.testing.Vectors;
import dev.sigstore.KeylessVerifier;
import dev.sigstore.TrustedRootProvider;
import dev.sigstore.VerificationOptions;
import dev.sigstore.VerificationOptions.CertificateMatcher;
import dev.sigstore.bundle.Bundle;
import dev.sigstore.strings.StringMatcher;
import java.io.InputStreamReader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code airseal bench verify} beside sigstore-java 2.0.0's {@link KeylessVerifier} on the same
 * keyless conformance bundles, in the same JVM and run. sigstore-java is a test dependency, so the
 * comparison lives here; it is a bench, not a test, and runs only with {@code -Dbench.verify=true}:
 *
 * <pre>
 * mvn -q -o test -Dtest=VerifyBenchVsSigstoreJava -Dbench.verify=true [-Dbench.seconds=5 -Dbench.warmup=2]
 * </pre>
 *
 * sigstore-java "cold" builds a verifier per verification (its trusted root parsed again), "warm"
 * reuses one verifier per thread; both parse the bundle per verification, as Airseal does.
 */
class VerifyBenchVsSigstoreJava {

  @Test
  void bench() throws Exception {
    if (!Boolean.getBoolean("bench.verify")) {
      String why = "a bench, not a test: run with -Dbench.verify=true";
      System.out.println("SKIPPED: VerifyBenchVsSigstoreJava: " + why);
      Assumptions.abort(why);
    }
    Path dir = Vectors.dir("sigstore-conformance/assets/bundle-verify");
    Path production = Vectors.dir("sigstore-public-good-trust").resolve("production/trusted_root.json");
    int cores = Runtime.getRuntime().availableProcessors();
    VerifyBench bench =
        new VerifyBench(
            new VerifyBench.Options(
                List.of(1, cores).stream().distinct().toList(),
                Duration.ofMillis(Math.round(Double.parseDouble(System.getProperty("bench.warmup", "2")) * 1000)),
                Duration.ofMillis(Math.round(Double.parseDouble(System.getProperty("bench.seconds", "5")) * 1000))),
            System.out);
    List<VerifyBench.Case> cases =
        VerifyBench.conformanceCases(dir, VerifyBench.CONFORMANCE_KEYLESS, production, Instant.now());
    bench.describeSetUp(cases);
    VerifyBench.Report report = bench.report();
    report.airseal(bench.airseal(cases));
    report.raw256(bench.rawVerify("secp256r1", "SHA256withECDSA", false));
    report.raw256Fresh(bench.rawVerify("secp256r1", "SHA256withECDSA", true));
    report.raw384(bench.rawVerify("secp384r1", "SHA384withECDSA", false));

    // sigstore-java on the same bundles.
    VerificationOptions options =
        VerificationOptions.builder()
            .addCertificateMatchers(
                CertificateMatcher.fulcio()
                    .subjectAlternativeName(StringMatcher.string(VerifyBench.CONFORMANCE_IDENTITY))
                    .issuer(StringMatcher.string(VerifyBench.CONFORMANCE_ISSUER))
                    .build())
            .build();
    int n = cases.size();
    byte[][] digests = new byte[n][];
    for (int c = 0; c < n; c++) {
      digests[c] = cases.get(c).artifact().sha256();
      // Every bundle must verify with sigstore-java too, or the comparison is not like for like.
      newVerifier(production).verify(digests[c], parse(cases.get(c).bundle()), options);
    }
    List<VerifyBench.Row> sj = new ArrayList<>();
    for (int t : bench.options().threads()) {
      sj.add(
          bench.row(
              "sigstore-java 2.0.0, cold (verifier built per verification)",
              t,
              (thread, i) -> {
                int c = VerifyBench.index(thread, i, n);
                newVerifier(production).verify(digests[c], parse(cases.get(c).bundle()), options);
              }));
    }
    for (int t : bench.options().threads()) {
      KeylessVerifier[] verifiers = new KeylessVerifier[t];
      for (int k = 0; k < t; k++) {
        verifiers[k] = newVerifier(production);
      }
      sj.add(
          bench.row(
              "sigstore-java 2.0.0, warm (one verifier per thread)",
              t,
              (thread, i) -> {
                int c = VerifyBench.index(thread, i, n);
                verifiers[thread].verify(digests[c], parse(cases.get(c).bundle()), options);
              }));
    }
    report.sigstoreJava(sj);
    report.print();
  }

  private static KeylessVerifier newVerifier(Path root) throws Exception {
    return KeylessVerifier.builder().trustedRootProvider(TrustedRootProvider.from(root)).build();
  }

  private static Bundle parse(byte[] json) throws Exception {
    return Bundle.from(new InputStreamReader(new ByteArrayInputStream(json), StandardCharsets.UTF_8));
  }
}
