package dev.airseal.health;

import dev.airseal.config.AirsealConfig;
import dev.airseal.log.rekor.RekorLog;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while the log key still signs. A key behind an HSM or KMS can go away (token removed,
 * session expired, credentials revoked) long after start-up; appends would then fail one by one.
 */
@Readiness
@ApplicationScoped
public class LogKeyReadiness implements HealthCheck {
  static final String NAME = "log-key";
  // Never published, and no checkpoint (origin, size, root lines) or SET (canonical JSON) parses
  // from it: a signature over it vouches for nothing a verifier would accept.
  private static final byte[] PROBE = "airseal readiness probe".getBytes(StandardCharsets.UTF_8);

  @Inject AirsealConfig config;
  @Inject RekorLog rekorLog;
  private CachedCheck cached;

  @PostConstruct
  void init() {
    cached = new CachedCheck(config.log().keyCheckInterval(), this::signOnce);
  }

  @Override
  public HealthCheckResponse call() {
    return cached.get();
  }

  private HealthCheckResponse signOnce() {
    var r = HealthCheckResponse.named(NAME).withData("checkedAt", Instant.now().toString());
    try {
      var signer = rekorLog.signer();
      signer.sign(PROBE);
      return r.up().withData("algorithm", signer.algorithm().toString()).build();
    } catch (RuntimeException e) {
      return r.down().withData("reason", "the log key cannot sign: " + e).build();
    }
  }
}
