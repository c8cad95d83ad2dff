package dev.airseal.log.rekor;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the log is open: its key loaded and its stored tree checked against its head. */
@Readiness
@ApplicationScoped
public class LogReadiness implements HealthCheck {
  @Inject RekorLog rekorLog;

  @Override
  public HealthCheckResponse call() {
    try {
      var head = rekorLog.log().published().head();
      return HealthCheckResponse.named("log")
          .up()
          .withData("treeSize", head.size())
          .withData("treeID", Long.toString(head.treeId()))
          .build();
    } catch (IllegalStateException e) {
      return HealthCheckResponse.named("log").down().withData("reason", e.getMessage()).build();
    }
  }
}
