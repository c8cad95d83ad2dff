package dev.airseal.console;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** A service whose writes, and so its console, need a token. */
public class ConsoleProfile implements QuarkusTestProfile {
  static final String TOKEN = "console-test-token";

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of("airseal.api.write-token", TOKEN);
  }
}
