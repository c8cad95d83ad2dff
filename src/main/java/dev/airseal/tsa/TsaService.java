package dev.airseal.tsa;

import dev.airseal.config.AirsealConfig;
import dev.airseal.signing.Signer;
import dev.airseal.signing.Signers;
import dev.airseal.signing.soft.KeyFiles;
import dev.airseal.signing.soft.SoftwareSigner;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.jboss.logging.Logger;

/** The service's timestamp authority: its key and certificate chain, opened at start-up. */
@ApplicationScoped
public class TsaService {
  private static final Logger LOG = Logger.getLogger(TsaService.class);

  @Inject AirsealConfig config;

  private volatile TimestampAuthority authority;

  void onStart(@Observes StartupEvent ev) {
    if (config.tsa().enabled()) {
      start();
    }
  }

  synchronized void start() {
    if (authority != null) {
      return;
    }
    AirsealConfig.Tsa c = config.tsa();
    Path keys = Path.of(config.dataDir(), "keys");
    Signer signer = tsaSigner(c, keys);
    Path chainFile = keys.resolve("tsa-chain.pem");
    TsaChain chain;
    try {
      chain =
          TsaChainFile.loadOrIssue(
              chainFile,
              keys.resolve("tsa-root-key.pem"),
              signer,
              new TsaCertificates.Names(c.organization(), c.name(), c.signerName()),
              c.validity(),
              Clock.systemUTC());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write the TSA chain " + chainFile, e);
    } catch (TsaChainException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    authority =
        new TimestampAuthority(
            signer, chain, new ASN1ObjectIdentifier(c.policy()), c.accuracy(), Clock.systemUTC(),
            new SecureRandom());
    LOG.infof(
        "timestamp authority %s (serial %s) under %s, valid until %s, policy %s",
        chain.leaf().getSubject(), chain.leaf().getSerialNumber().toString(16),
        chain.root().getSubject(), chain.leaf().getNotAfter().toInstant(), c.policy());
  }

  // Empty: a software P-256 key generated on first start (0600) under the data directory.
  // Otherwise any key reference a signer understands: a PEM file, pkcs11:..., awskms://...
  private static Signer tsaSigner(AirsealConfig.Tsa c, Path keys) {
    String uri = c.key().orElse("");
    try {
      if (uri.isEmpty()) {
        return new SoftwareSigner(KeyFiles.loadOrCreateEcKey(keys.resolve("tsa-key.pem")));
      }
      return Signers.fromUri(uri);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the TSA key " + Signers.redact(uri), e);
    }
  }

  /** The running authority; empty when {@code airseal.tsa.enabled} is false. */
  public Optional<TimestampAuthority> authority() {
    return Optional.ofNullable(authority);
  }
}
