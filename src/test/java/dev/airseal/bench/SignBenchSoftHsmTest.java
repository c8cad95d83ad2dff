package dev.airseal.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airseal.signing.SignatureAlgorithm;
import dev.airseal.signing.Signer;
import dev.airseal.signing.Signers;
import dev.airseal.signing.pkcs11.SoftHsm;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The bench-sign path of {@code --softhsm}'s child JVM: a P-256 key made in a SoftHSM2 token, opened
 * again by reference, benched at a tiny size. Runs in {@link SoftHsm}'s child JVM (skipped without
 * SoftHSM2, failing under CI=true).
 */
@ExtendWith(SoftHsm.class)
class SignBenchSoftHsmTest {
  @Test
  void run_keyGeneratedInToken_rowPerThreadCount() throws Exception {
    String uri = SoftHsm.uriText(SoftHsm.TOKEN, "object=bench-p256", SoftHsm.PIN);
    Signers.generate(uri, SignatureAlgorithm.PKIX_ECDSA_P256_SHA_256);
    Signer signer = Signers.fromUri(uri);
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    SignBench bench = SignBenchTest.tiny(new PrintStream(printed, true, StandardCharsets.UTF_8));
    List<SignBench.Row> rows = bench.run(new SignBench.Key(Signers.redact(uri), signer));
    SignBenchTest.assertWellFormed(rows, SignatureAlgorithm.PKIX_ECDSA_P256_SHA_256);
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("pkcs11:token=test;object=bench-p256")
        .doesNotContain("pin-value=" + SoftHsm.PIN);
  }
}
