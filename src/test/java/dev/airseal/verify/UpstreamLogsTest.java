package dev.airseal.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airseal.log.Rfc6962;
import dev.airseal.testing.UpstreamLogFixture;
import dev.airseal.trust.TrustedRoot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Upstream checkpoints: signed by a trust-root log valid at their time, and never rolled back or forked. */
class UpstreamLogsTest {
  private final UpstreamLogFixture log = new UpstreamLogFixture("rekor.upstream.example").append(13, "a");
  private final Instant now = Instant.now();
  private final TrustedRoot root = log.trustRoot(now.minus(Duration.ofDays(1)));

  @Test
  void open_acceptsACheckpointSignedByALogOfTheTrustRoot() throws Exception {
    TrustedCheckpoint cp = UpstreamLogs.open(log.checkpoint(13), root, now);
    assertThat(cp.origin()).isEqualTo(log.origin);
    assertThat(cp.size()).isEqualTo(13);
    assertThat(cp.rootHash()).isEqualTo(log.root(13));
    assertThat(cp.logBaseUrl()).isEqualTo("https://rekor.upstream.example");
    assertThat(cp.time()).isEqualTo(now);
  }

  @Test
  void open_rejectsACheckpointSignedByAKeyTheTrustRootLacks() {
    UpstreamLogFixture stranger = new UpstreamLogFixture("rekor.upstream.example").append(13, "a");
    assertThatThrownBy(() -> UpstreamLogs.open(stranger.checkpoint(13), root, now))
        .isInstanceOf(UpstreamLogException.class)
        .hasMessageContaining("none of them a log key in the site's trust root");
  }

  @Test
  void open_rejectsABadSignatureByTheTrustedKey() {
    String note = log.checkpoint(13);
    int at = note.lastIndexOf(' ') + 1;
    byte[] sig = Base64.getDecoder().decode(note.substring(at).strip());
    sig[sig.length - 3] ^= 1;
    String tampered = note.substring(0, at) + Base64.getEncoder().encodeToString(sig) + "\n";
    assertThatThrownBy(() -> UpstreamLogs.open(tampered, root, now))
        .isInstanceOf(UpstreamLogException.class)
        .hasMessageContaining("bad signature");
    String otherText = note.replaceFirst("\n13\n", "\n12\n");
    assertThatThrownBy(() -> UpstreamLogs.open(otherText, root, now))
        .isInstanceOf(UpstreamLogException.class)
        .hasMessageContaining("bad signature");
  }

  @Test
  void open_rejectsACheckpointFromOutsideItsKeysValidity() {
    TrustedRoot later = log.trustRoot(now.plus(Duration.ofDays(1)));
    assertThatThrownBy(() -> UpstreamLogs.open(log.checkpoint(13), later, now))
        .isInstanceOf(UpstreamLogException.class)
        .hasMessageContaining("outside the validity of its log key");
  }

  @Test
  void extend_acceptsAValidProofAndTheSameTreeAgain() throws Exception {
    TrustedCheckpoint cp = UpstreamLogs.open(log.checkpoint(13), root, now);
    assertThatCode(() -> UpstreamLogs.extend(5, log.root(5), cp, log.consistency(5, 13))).doesNotThrowAnyException();
    assertThatCode(() -> UpstreamLogs.extend(13, log.root(13), cp, List.of())).doesNotThrowAnyException();
    assertThatCode(() -> UpstreamLogs.extend(0, Rfc6962.emptyRoot(), cp, List.of())).doesNotThrowAnyException();
  }

  @Test
  void extend_rejectsASmallerTree_rollback() throws Exception {
    TrustedCheckpoint cp = UpstreamLogs.open(log.checkpoint(8), root, now);
    assertThatThrownBy(() -> UpstreamLogs.extend(13, log.root(13), cp, List.of()))
        .isInstanceOf(UpstreamLogException.class)
        .hasMessageContaining("rolled back: checkpoint size 8 is smaller than size 13");
  }

  @Test
  void extend_rejectsAnotherRootAtTheSameSize_splitView() throws Exception {
    UpstreamLogFixture fork = log.fork(9).append(4, "b");
    TrustedCheckpoint cp = UpstreamLogs.open(fork.checkpoint(13), root, now);
    assertThatThrownBy(() -> UpstreamLogs.extend(13, log.root(13), cp, List.of()))
        .isInstanceOf(UpstreamLogException.class)
        .hasMessageContaining("split view")
        .hasMessageContaining("at size 13");
  }

  @Test
  void extend_rejectsAProofToAForkedTree() throws Exception {
    // The fork shares the first 9 leaves: a proof from 11, where the two trees already differ, must fail.
    UpstreamLogFixture fork = log.fork(9).append(8, "b");
    TrustedCheckpoint cp = UpstreamLogs.open(fork.checkpoint(17), root, now);
    assertThatThrownBy(() -> UpstreamLogs.extend(11, log.root(11), cp, fork.consistency(11, 17)))
        .isInstanceOf(UpstreamLogException.class)
        .hasMessageContaining("not consistent from size 11 to 17");
    // From 9, where they agree, the fork does extend what was seen: that is not a split view.
    assertThatCode(() -> UpstreamLogs.extend(9, log.root(9), cp, fork.consistency(9, 17))).doesNotThrowAnyException();
  }

  @Test
  void extend_rejectsATruncatedOrAlteredProof() throws Exception {
    log.append(20, "a");
    TrustedCheckpoint cp = UpstreamLogs.open(log.checkpoint(33), root, now);
    List<byte[]> proof = new ArrayList<>(log.consistency(6, 33));
    List<byte[]> truncated = proof.subList(0, proof.size() - 1);
    assertThatThrownBy(() -> UpstreamLogs.extend(6, log.root(6), cp, truncated))
        .isInstanceOf(UpstreamLogException.class).hasMessageContaining("not consistent");
    byte[] h = proof.get(0).clone();
    h[0] ^= 1;
    proof.set(0, h);
    assertThatThrownBy(() -> UpstreamLogs.extend(6, log.root(6), cp, proof))
        .isInstanceOf(UpstreamLogException.class).hasMessageContaining("not consistent");
  }
}
