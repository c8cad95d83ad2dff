package dev.airseal.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airseal.bundle.service.BundleService;
import dev.airseal.signing.Signer;
import dev.airseal.signing.soft.KeyFiles;
import dev.airseal.tuf.Expiries;
import dev.airseal.tuf.TufRepository;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without airseal.bundle.tuf-root, a bundle carrying TUF metadata is refused, saying what to install. */
@QuarkusTest
class TufBundleWithoutRootTest {
  @Inject BundleService bundles;

  @TempDir Path tmp;

  @Test
  void refusedWithTheSettingToInstall() throws Exception {
    String producer = "tuf-noroot-" + Long.toHexString(System.nanoTime());
    KeyPair transfer = KeyFiles.loadOrCreateEcKey(tmp.resolve("transfer.key"));
    bundles.store().addKey(TransferKey.keyId(transfer.getPublic()), producer, TransferKey.toPem(transfer.getPublic()),
        "test", "tuf test producer");
    Signer root = TufBundleImportTest.key();
    Signer online = TufBundleImportTest.key();
    TufRepository upstream = new TufRepository(tmp.resolve("mirror"), new Expiries(Duration.ofDays(365),
        Duration.ofDays(90), Duration.ofDays(7), Duration.ofDays(1)), Clock.systemUTC());
    upstream.init(root, online);
    upstream.publish(Map.of("trusted_root.json", TufBundleImportTest.upstreamRoot("https://rekor.example")), online);
    BundleCli c = BundleCli.create("--key", tmp.resolve("transfer.key").toString(),
        "--producer", producer, "--state", tmp.resolve("state.json").toString(), "--tuf-mirror",
        tmp.resolve("mirror").toString(), "-o", tmp.resolve("b.tar").toString());
    assertThat(c.exit()).as(c.output()).isZero();
    ImportReport r;
    try (InputStream in = Files.newInputStream(tmp.resolve("b.tar"))) {
      r = bundles.importBundle(in, "tester", false, Optional.empty(), false);
    }
    assertThat(r.outcome()).isEqualTo("rejected");
    assertThat(r.message()).contains("carries upstream TUF metadata, and this site has no trusted upstream TUF root")
        .contains("airseal.bundle.tuf-root");
    assertThat(bundles.store().head(producer)).isEmpty();
  }
}
