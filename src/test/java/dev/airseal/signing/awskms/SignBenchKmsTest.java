package dev.airseal.signing.awskms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airseal.bench.SignBench;
import dev.airseal.signing.SignatureAlgorithm;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code airseal bench sign --key awskms://HOST:PORT/alias/x} against {@link FakeKms}, at a tiny
 * size: every timed signature is one Sign request. Lives in this package because FakeKms and the
 * test credentials are package-private test code. Structure only, never timings.
 */
class SignBenchKmsTest {
  private static FakeKms kms;

  @BeforeAll
  static void start() throws Exception {
    kms = new FakeKms("eu-west-3");
    kms.alias("alias/p256", kms.addKey("ECC_NIST_P256", FakeKms.generate("ECC_NIST_P256")));
    kms.alias("alias/rsa", kms.addKey("RSA_2048", FakeKms.generate("RSA_2048")));
  }

  @AfterAll
  static void stop() {
    kms.close();
  }

  @ParameterizedTest
  @CsvSource({
    "alias/p256, PKIX_ECDSA_P256_SHA_256",
    "alias/rsa, PKIX_RSA_PKCS1V15_2048_SHA256"
  })
  void run_kmsKey_everyTimedSignatureIsOneSignRequest(String alias, SignatureAlgorithm algorithm) {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    SignBench bench =
        new SignBench(
            new SignBench.Options(List.of(1, 2), Duration.ofMillis(20), Duration.ofMillis(100), 1024),
            new PrintStream(printed, true, StandardCharsets.UTF_8));
    List<SignBench.Row> rows;
    try (AwsKmsSigner s =
        AwsKmsSigner.open(kms.uri(alias), false, AwsKmsSignerTest.access("eu-west-3"))) {
      kms.clearRequests();
      rows = bench.run(new SignBench.Key(kms.uri(alias), s));
    }
    assertThat(rows).extracting(SignBench.Row::threads).containsExactly(1, 2);
    long timed = 0;
    for (SignBench.Row r : rows) {
      assertThat(r.algorithm()).isEqualTo(algorithm);
      assertThat(r.signatures()).isPositive().isEqualTo(r.latency().count());
      timed += r.signatures();
    }
    // Warm-up and the verification signature are Sign requests too, but untimed.
    long signRequests =
        kms.requests().stream().filter(q -> "TrentService.Sign".equals(q.target())).count();
    assertThat(signRequests).isGreaterThan(timed);
    assertThat(printed.toString(StandardCharsets.UTF_8)).contains(algorithm.name());
  }
}
