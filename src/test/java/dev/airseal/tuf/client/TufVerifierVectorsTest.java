package dev.airseal.tuf.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airseal.testing.Vectors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Real Sigstore staging TUF metadata (sigstore-python's offline copy): timestamp 353, snapshot 16,
 * targets 17 and its trusted_root.json, verified from the staging root.json (version 14, 2 of 4
 * root keys) that sigstore-python embeds. There is no 1.root.json in the vectors, so the chain is
 * that one root.
 */
class TufVerifierVectorsTest {
  // Before the timestamp's expiry (2025-07-29T13:28:44Z), after it was signed.
  private static final Instant FETCHED = Instant.parse("2025-07-28T12:00:00Z");

  private static TufVerifier.Carried carried(Path repo, Path root) throws IOException {
    return new TufVerifier.Carried(List.of(Files.readAllBytes(root)), Files.readAllBytes(repo.resolve("timestamp.json")),
        Files.readAllBytes(repo.resolve("16.snapshot.json")), Files.readAllBytes(repo.resolve("17.targets.json")),
        "trusted_root.json", Files.readAllBytes(repo.resolve(
            "targets/ed6a9cf4e7c2e3297a4b5974fce0d17132f03c63512029d7aa3a402b43acab49.trusted_root.json")));
  }

  @Test
  void stagingRepositoryVerifiesFromItsRoot() throws Exception {
    Path repo = Vectors.dir("sigstore-python/assets/staging-tuf");
    Path root = Vectors.dir("sigstore-public-good-trust").resolve("staging/root.json");
    byte[] anchor = Files.readAllBytes(root);
    assertThat(TufVerifier.selfSignedRootVersion(anchor)).isEqualTo(14);
    TufVerifier.Result r = TufVerifier.verify(new TufVerifier.Trusted(anchor, 0, 0, 0), carried(repo, root), FETCHED);
    assertThat(r.rootVersion()).isEqualTo(14);
    assertThat(r.timestamp()).isEqualTo(353);
    assertThat(r.snapshot()).isEqualTo(16);
    assertThat(r.targets()).isEqualTo(17);
    assertThat(new String(r.target(), java.nio.charset.StandardCharsets.UTF_8)).contains("rekor.sigstage.dev");
    // Expired for a bundle made after the timestamp's expiry; rolled back for a site past it.
    assertThatThrownBy(() -> TufVerifier.verify(new TufVerifier.Trusted(anchor, 0, 0, 0), carried(repo, root),
        Instant.parse("2025-07-30T00:00:00Z"))).hasMessageContaining("timestamp version 353 expired");
    assertThatThrownBy(() -> TufVerifier.verify(new TufVerifier.Trusted(anchor, 354, 0, 0), carried(repo, root),
        FETCHED)).hasMessageContaining("rollback: timestamp version 353");
  }

  @Test
  void productionRootMeetsItsOwnThreshold() throws Exception {
    Path root = Vectors.dir("sigstore-public-good-trust").resolve("production/root.json");
    assertThat(TufVerifier.selfSignedRootVersion(Files.readAllBytes(root))).isEqualTo(15);
  }
}
