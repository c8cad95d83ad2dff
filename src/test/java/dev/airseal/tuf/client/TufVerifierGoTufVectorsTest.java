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
 * sigstore-java's TUF client cases (repositories made with go-tuf 0.5.2: ecdsa-sha2-nistp256 keys,
 * sha512 hashes, a root rotation 1 → 2), verified from their trusted-root.json (version 1). Each
 * failing case swaps in the files its README names.
 */
class TufVerifierGoTufVectorsTest {
  // Before the template timestamp's expiry (2023-02-13T15:37:48Z).
  private static final Instant FETCHED = Instant.parse("2023-02-13T15:00:00Z");
  private static final String TARGET =
      "860de8f9a858eea7190fcfa1b53fe55914d3c38f17f8f542273012d19cc9509bb423f37b7c13c577a56339ad7f45273b479b1d0df837cb6e20a550c27cce0885.test.txt";

  private static Path dir() {
    return Vectors.dir("sigstore-java/resources/tuf/synthetic");
  }

  private static byte[] read(Path p) throws IOException {
    return Files.readAllBytes(p);
  }

  /** The template repository with the files of {@code caseDir} that it holds in their place. */
  private static TufVerifier.Carried carried(String caseDir) throws IOException {
    Path t = dir().resolve("test-template");
    Path c = caseDir == null ? t : dir().resolve(caseDir);
    return new TufVerifier.Carried(List.of(read(t.resolve("1.root.json")), read(pick(c, t, "2.root.json"))),
        read(pick(c, t, "timestamp.json")), read(pick(c, t, "3.snapshot.json")), read(pick(c, t, "3.targets.json")),
        "test.txt", read(pick(c, t, "targets/" + TARGET)));
  }

  private static Path pick(Path caseDir, Path template, String name) {
    return Files.exists(caseDir.resolve(name)) ? caseDir.resolve(name) : template.resolve(name);
  }

  private static TufVerifier.Trusted trusted(long timestamp) throws IOException {
    return new TufVerifier.Trusted(read(dir().resolve("trusted-root.json")), timestamp, 0, 0);
  }

  @Test
  void templateVerifiesThroughTheRootRotation() throws Exception {
    TufVerifier.Result r = TufVerifier.verify(trusted(0), carried(null), FETCHED);
    assertThat(r.rootVersion()).isEqualTo(2);
    assertThat(List.of(r.timestamp(), r.snapshot(), r.targets())).containsExactly(3L, 3L, 3L);
    assertThat(r.notes()).contains("root updated from version 1 to 2");
  }

  /**
   * One of version 2's three root signatures is garbage, the other two meet both thresholds (1 of
   * version 1, 2 of version 2). sigstore-java refuses on any bad signature; the TUF specification
   * (§5.3.4) and python-tuf and go-tuf count valid signatures against the threshold, as we do.
   */
  @Test
  void aBadSignatureBesideAThresholdOfGoodOnesIsIgnored() throws Exception {
    assertThat(TufVerifier.verify(trusted(0), carried("root-update-with-invalid-signature"), FETCHED).rootVersion())
        .isEqualTo(2);
  }

  @Test
  void failingCasesAreRefused() throws Exception {
    assertThatThrownBy(() -> TufVerifier.verify(trusted(0), carried("targets-download-invalid-hash"), FETCHED))
        .hasMessageContaining("target test.txt does not match its sha512 hash");
    assertThatThrownBy(() -> TufVerifier.verify(trusted(3), carried("timestamp-rollback-version"), FETCHED))
        .hasMessageContaining("rollback: timestamp version 1 is below version 3");
    assertThatThrownBy(() -> TufVerifier.verify(trusted(0), carried("snapshot-expired"), FETCHED))
        .hasMessageContaining("snapshot version 3 expired at 2022-11-19T18:07:27Z");
    assertThatThrownBy(() -> TufVerifier.verify(trusted(0), carried("snapshot-invalid-hash"), FETCHED))
        .hasMessageContaining("snapshot does not match its sha512 hash in the metadata");
    assertThatThrownBy(() -> TufVerifier.verify(trusted(0), carried("targets-invalid-hash"), FETCHED))
        .hasMessageContaining("targets does not match its sha512 hash in the metadata");
    assertThatThrownBy(() -> TufVerifier.verify(trusted(0), carried("root-unsigned"), FETCHED))
        .hasMessageContaining("root version 2 (by the keys of version 1): 0 valid signature(s) by keys of role root,"
            + " threshold 1");
  }
}
