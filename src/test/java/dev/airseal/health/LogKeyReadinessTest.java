package dev.airseal.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airseal.config.AirsealConfig;
import dev.airseal.log.rekor.RekorLog;
import dev.airseal.signing.SignatureAlgorithm;
import dev.airseal.signing.Signer;
import java.lang.reflect.Proxy;
import java.security.PublicKey;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

class LogKeyReadinessTest {
  private final AtomicInteger signatures = new AtomicInteger();

  private final Signer removedToken =
      new Signer() {
        @Override
        public PublicKey publicKey() {
          throw new UnsupportedOperationException();
        }

        @Override
        public SignatureAlgorithm algorithm() {
          throw new UnsupportedOperationException();
        }

        @Override
        public byte[] sign(byte[] message) {
          signatures.incrementAndGet();
          throw new IllegalStateException("CKR_TOKEN_NOT_PRESENT");
        }
      };

  private LogKeyReadiness check(Duration interval) {
    var c = new LogKeyReadiness();
    c.rekorLog =
        new RekorLog() {
          @Override
          public Signer signer() {
            return removedToken;
          }
        };
    AirsealConfig.Log log =
        (AirsealConfig.Log)
            Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {AirsealConfig.Log.class},
                (p, m, a) -> interval);
    c.config =
        (AirsealConfig)
            Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {AirsealConfig.class},
                (p, m, a) -> log);
    c.init();
    return c;
  }

  @Test
  void keyThatCannotSign_isDown_withTheBackendsReason() {
    HealthCheckResponse r = check(Duration.ofMinutes(5)).call();
    assertThat(r.getName()).isEqualTo("log-key");
    assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
    assertThat(r.getData().orElseThrow().get("reason").toString())
        .contains("the log key cannot sign").contains("CKR_TOKEN_NOT_PRESENT");
  }

  @Test
  void probesWithinTheInterval_reuseTheLastSignature() {
    var c = check(Duration.ofMinutes(5));
    for (int i = 0; i < 10; i++) {
      c.call();
    }
    assertThat(signatures).hasValue(1);
  }
}
