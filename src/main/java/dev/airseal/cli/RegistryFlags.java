package dev.airseal.cli;

import dev.airseal.oci.RegistryOptions;
import java.util.Optional;
import picocli.CommandLine.Option;

/** cosign's registry flags, shared by every command that reads or writes a registry. */
public class RegistryFlags {
  @Option(names = "--allow-http-registry", description = "Allow plain-HTTP registries.")
  boolean allowHttp;

  @Option(names = "--allow-insecure-registry", description = "Skip TLS verification of registries.")
  boolean allowInsecure;

  @Option(names = "--registry-username", description = "Registry user name.")
  String username;

  @Option(
      names = "--registry-password",
      description = "Registry password or token (prefer the AIRSEAL_REGISTRY_PASSWORD environment variable).")
  String password;

  RegistryOptions options() {
    String secret = password != null ? password : System.getenv("AIRSEAL_REGISTRY_PASSWORD");
    Optional<RegistryOptions.Credentials> creds =
        username == null || secret == null
            ? Optional.empty()
            : Optional.of(new RegistryOptions.Credentials(username, secret));
    return new RegistryOptions(allowHttp, allowInsecure, creds);
  }
}
