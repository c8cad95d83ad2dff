package dev.airseal.cli;

import dev.airseal.log.rekor.RekorClient;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;
import picocli.CommandLine.Option;

/** cosign's transparency-log flags. The write token comes from the environment only. */
public class RekorFlags {
  @Option(names = "--tlog-upload", arity = "0..1", defaultValue = "true", fallbackValue = "true",
      description = "Enter the signature in the transparency log (default true).")
  boolean tlogUpload;

  @Option(names = "--rekor-url", description = "Rekor URL (default: airseal.api.url).")
  String rekorUrl;

  Optional<RekorClient> client() {
    if (!tlogUpload) {
      return Optional.empty();
    }
    String url = rekorUrl != null
        ? rekorUrl
        : ConfigProvider.getConfig().getOptionalValue("airseal.api.url", String.class).orElse("http://127.0.0.1:8080");
    return Optional.of(new RekorClient(url, Optional.ofNullable(System.getenv("AIRSEAL_API_WRITE_TOKEN"))));
  }
}
