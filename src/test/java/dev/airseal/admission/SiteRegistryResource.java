package dev.airseal.admission;

import dev.airseal.peers.LocalRegistry;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A real docker-registry as the site mirror (when installed; tests that need it skip otherwise)
 * and a policy directory holding the Flux vector policy, for the service under test.
 */
public class SiteRegistryResource implements QuarkusTestResourceLifecycleManager {
  static LocalRegistry registry;
  static Path policyDir;

  @Override
  public Map<String, String> start() {
    try {
      Path dir = Files.createTempDirectory("airseal-admission-");
      policyDir = Files.createDirectories(dir.resolve("policies"));
      Files.copy(dev.airseal.testing.Vectors.dir("kyverno-policies")
          .resolve("flux/verify-flux-images/verify-flux-images.yaml"), policyDir.resolve("verify-flux-images.yaml"));
      Map<String, String> cfg = new HashMap<>();
      cfg.put("airseal.policy.dir", policyDir.toString());
      cfg.put("airseal.admission.policy-reload-interval", "PT0.2S");
      if (onPath("docker-registry")) {
        registry = LocalRegistry.start(Files.createDirectories(dir.resolve("registry")));
        cfg.put("airseal.registry.url", registry.host);
        cfg.put("airseal.registry.plain-http", "true");
      }
      return cfg;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean onPath(String name) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(d.isEmpty() ? "." : d, name))) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void stop() {
    if (registry != null) {
      try {
        registry.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
