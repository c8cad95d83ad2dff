package dev.airseal.oci;

import java.util.Optional;

/**
 * How to reach a registry. Plain HTTP and unverified TLS are opt-in, as cosign's
 * {@code --allow-http-registry} and {@code --allow-insecure-registry} make them.
 */
public record RegistryOptions(
    boolean allowHttp, boolean allowInsecureTls, Optional<Credentials> credentials) {

  /** Registry credentials; {@link #toString()} never shows the secret. */
  public record Credentials(String username, String secret) {
    @Override
    public String toString() {
      return "Credentials[" + username + ", ****]";
    }
  }

  public static RegistryOptions defaults() {
    return new RegistryOptions(false, false, Optional.empty());
  }
}
