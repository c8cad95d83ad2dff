package dev.airseal.config;

import java.util.List;

/**
 * The JVM options every shipped way of starting the service passes before the operator's own: the
 * installer's systemd unit and process mode, the in-cluster Deployment ({@code JAVA_TOOL_OPTIONS})
 * and the benches. Why each one: docs/operations.md, "JVM options".
 */
public final class ShippedJvmOptions {
  public static final List<String> OPTIONS = List.of("-XX:MaxTenuringThreshold=2");

  private ShippedJvmOptions() {}
}
