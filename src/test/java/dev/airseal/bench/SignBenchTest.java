package dev.airseal.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airseal.signing.SignatureAlgorithm;
import dev.airseal.signing.Signer;
import dev.airseal.signing.soft.KeyGeneration;
import dev.airseal.signing.soft.SoftwareSigner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code airseal bench sign} over software keys at tiny durations so that the command cannot
 * rot. Asserts on structure (a row per thread count, every call timed), never on timings.
 */
class SignBenchTest {
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

  /** A few milliseconds per row: enough for a handful of signatures even with RSA on a busy box. */
  static SignBench tiny(PrintStream out) {
    return new SignBench(
        new SignBench.Options(List.of(1, 2), Duration.ofMillis(20), Duration.ofMillis(60), 1024),
        out);
  }

  /** Every row of a run: one per thread count, each signature counted and timed. */
  static void assertWellFormed(List<SignBench.Row> rows, SignatureAlgorithm algorithm) {
    assertThat(rows).extracting(SignBench.Row::threads).containsExactly(1, 2);
    for (SignBench.Row r : rows) {
      assertThat(r.algorithm()).isEqualTo(algorithm);
      assertThat(r.signatures()).isPositive();
      assertThat(r.latency().count()).isEqualTo(r.signatures());
      assertThat(r.latency().p50()).isPositive().isLessThanOrEqualTo(r.latency().p99());
      assertThat(r.latency().p99()).isLessThanOrEqualTo(r.latency().max());
      assertThat(r.perSecond()).isPositive();
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = SignatureAlgorithm.class,
      names = {
        "PKIX_ECDSA_P256_SHA_256",
        "PKIX_ECDSA_P384_SHA_384",
        "PKIX_RSA_PKCS1V15_2048_SHA256",
        "PKIX_RSA_PSS_2048_SHA256",
        "PKIX_ED25519"
      })
  void run_softwareKey_rowPerThreadCount(SignatureAlgorithm algorithm) {
    SignBench bench = tiny(new PrintStream(printed, true, StandardCharsets.UTF_8));
    bench.describeSetUp();
    List<SignBench.Row> rows =
        bench.run(
            new SignBench.Key(
                "software", new SoftwareSigner(KeyGeneration.generate(algorithm), algorithm)));
    assertWellFormed(rows, algorithm);
    String out = printed.toString(StandardCharsets.UTF_8);
    assertThat(out).contains("airseal bench sign", "signatures/s", algorithm.name());
  }

  @Test
  void run_refusesAKeyWhoseSignaturesDoNotVerify() {
    SignatureAlgorithm p256 = SignatureAlgorithm.PKIX_ECDSA_P256_SHA_256;
    Signer real = new SoftwareSigner(KeyGeneration.generate(p256), p256);
    PublicKey other = KeyGeneration.generate(p256).getPublic();
    Signer wrongKey =
        new Signer() {
          @Override
          public PublicKey publicKey() {
            return other;
          }

          @Override
          public SignatureAlgorithm algorithm() {
            return p256;
          }

          @Override
          public byte[] sign(byte[] message) {
            return real.sign(message);
          }
        };
    SignBench bench = tiny(new PrintStream(printed, true, StandardCharsets.UTF_8));
    assertThatThrownBy(() -> bench.run(new SignBench.Key("mismatched", wrongKey)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("does not verify");
  }

  @Test
  void options_refuseZeroThreads() {
    assertThatThrownBy(
            () -> new SignBench.Options(List.of(0), Duration.ZERO, Duration.ofSeconds(1), 1024))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[0]");
  }
}
