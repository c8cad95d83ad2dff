package dev.airseal.admission;

import dev.airseal.config.AirsealConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * First start without a webhook certificate: makes a CA and server pair under
 * {@code <data-dir>/tls} (the default of {@code quarkus.http.ssl.certificate.files}) and prints the
 * CA for the webhook configurations' {@code caBundle}. Runs before the HTTPS listener opens, which
 * Quarkus does after start-up observers; a certificate configured elsewhere is left alone.
 */
@ApplicationScoped
public class WebhookTlsBootstrap {
  private static final Logger LOG = Logger.getLogger(WebhookTlsBootstrap.class);

  @Inject AirsealConfig config;

  @ConfigProperty(name = "quarkus.http.ssl.certificate.files")
  Optional<List<String>> certificateFiles;

  @ConfigProperty(name = "quarkus.http.host-enabled", defaultValue = "true")
  boolean listening;

  void onStart(@Observes @Priority(1) StartupEvent ev) {
    if (listening) {
      ensure();
    }
  }

  /** The CA certificate PEM the webhook's certificate chains to, when it is the one made here. */
  public Optional<String> caPem() {
    Path ca = dir().resolve(WebhookTls.CA_CERT);
    try {
      return Files.exists(ca) ? Optional.of(Files.readString(ca)) : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path dir() {
    return Path.of(config.dataDir(), "tls");
  }

  void ensure() {
    Path server = dir().resolve(WebhookTls.SERVER_CERT).toAbsolutePath().normalize();
    boolean ours = certificateFiles.orElse(List.of()).stream()
        .anyMatch(f -> Path.of(f).toAbsolutePath().normalize().equals(server));
    if (!ours || Files.exists(server)) {
      return;
    }
    try {
      WebhookTls.create(dir(), WebhookTls.defaultNames(config.admission().tlsNames().orElse(List.of())),
          config.admission().tlsValidity());
      LOG.infof("webhook TLS: made a CA and server certificate in %s; caBundle (base64 of %s):%n%s", dir(),
          WebhookTls.CA_CERT,
          java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(dir().resolve(WebhookTls.CA_CERT))));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make the webhook certificate in " + dir(), e);
    }
  }
}
