package dev.airseal.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airseal.oci.Digest;
import dev.airseal.store.TransferImports;
import dev.airseal.testing.UpstreamLogFixture;
import dev.airseal.trust.TrustedRoot;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The import's upstream-log rules over a bundle's checkpoints and the site's last imported ones. */
class UpstreamCheckTest {
  private static final String URL = "https://rekor.upstream.example";
  private final UpstreamLogFixture log = new UpstreamLogFixture("rekor.upstream.example").append(21, "a");
  private final Instant now = Instant.now();
  private final TrustedRoot root = log.trustRoot(now.minus(Duration.ofDays(1)));
  private final Map<String, TransferImports.UpstreamCheckpoint> site = new HashMap<>();

  private OpenedBundle bundle(BundleContent c) {
    TransferStatement s = c.statement("factory", 7, now.minusSeconds(1), now.plusSeconds(600), Optional.empty());
    Map<Digest, byte[]> blobs = new HashMap<>();
    c.blobs().forEach(b -> blobs.put(b.ref().digest(), b.content()));
    return new OpenedBundle(s, s.toJson(), new byte[0], new TransferKey("factory", log.key.publicKey()), blobs,
        "sha256:00", 0, 0, 0, Optional.empty());
  }

  private OpenedBundle carrying(long size, Optional<ConsistencyProofBlob> proof) {
    BundleContent c = new BundleContent();
    c.checkpoint(URL, now.minusSeconds(2), log.checkpoint(size), proof);
    return bundle(c);
  }

  private ConsistencyProofBlob proof(long from, long to) {
    return new ConsistencyProofBlob(from, to, log.consistency(from, to));
  }

  private UpstreamCheck.Result check(OpenedBundle b) throws Exception {
    return UpstreamCheck.check(b, root, o -> Optional.ofNullable(site.get(o)), now,
        dev.airseal.verify.VerificationPolicy.DEFAULT_CLOCK_SKEW);
  }

  private void siteHas(long size, byte[] rootHash) {
    site.put(log.origin, new TransferImports.UpstreamCheckpoint(log.origin, size, HexFormat.of().formatHex(rootHash),
        "", URL, "factory", 6, 0));
  }

  @Test
  void firstCheckpointOfALog_isTrustedOnFirstUseAndSaysSo() throws Exception {
    UpstreamCheck.Result r = check(carrying(21, Optional.of(proof(4, 21))));
    assertThat(r.notes()).singleElement().asString().contains("first checkpoint (size 21)").contains("trust on first use");
    assertThat(r.changes()).singleElement().satisfies(ch -> {
      assertThat(ch.expectedSize()).isEmpty();
      assertThat(ch.next().treeSize()).isEqualTo(21);
      assertThat(ch.next().rootHash()).isEqualTo(HexFormat.of().formatHex(log.root(21)));
      assertThat(ch.next().producer()).isEqualTo("factory");
      assertThat(ch.next().sequence()).isEqualTo(7);
    });
  }

  @Test
  void aConsistentLargerCheckpoint_movesTheSitesCheckpoint() throws Exception {
    siteHas(9, log.root(9));
    UpstreamCheck.Result r = check(carrying(21, Optional.of(proof(9, 21))));
    assertThat(r.notes()).containsExactly("upstream log \"" + log.origin + "\": consistent from size 9 to 21");
    assertThat(r.changes()).singleElement().satisfies(ch -> assertThat(ch.expectedSize()).contains(9L));
  }

  @Test
  void theSameCheckpointAgain_changesNothing() throws Exception {
    siteHas(21, log.root(21));
    UpstreamCheck.Result r = check(carrying(21, Optional.empty()));
    assertThat(r.changes()).isEmpty();
    assertThat(r.notes()).singleElement().asString().contains("unchanged at size 21");
  }

  @Test
  void import_refusesASmallerCheckpoint_rollback() {
    siteHas(21, log.root(21));
    assertThatThrownBy(() -> check(carrying(12, Optional.empty())))
        .isInstanceOf(TransferRejectedException.class)
        .hasMessageContaining("rolled back: checkpoint size 12 is smaller than size 21");
  }

  @Test
  void import_refusesAnInconsistentProof_splitView() {
    // The site saw another tree of size 9 than the one this log now extends.
    siteHas(9, log.fork(5).append(4, "other").root(9));
    assertThatThrownBy(() -> check(carrying(21, Optional.of(proof(9, 21)))))
        .isInstanceOf(TransferRejectedException.class)
        .hasMessageContaining("is not consistent from size 9 to 21");
  }

  @Test
  void import_refusesALargerCheckpointWithoutAProofFromTheSitesSize() {
    siteHas(9, log.root(9));
    assertThatThrownBy(() -> check(carrying(21, Optional.empty())))
        .isInstanceOf(TransferRejectedException.class)
        .hasMessageContaining("without a consistency proof")
        .hasMessageContaining("--upstream-log-from " + URL + "=9");
    assertThatThrownBy(() -> check(carrying(21, Optional.of(proof(12, 21)))))
        .isInstanceOf(TransferRejectedException.class)
        .hasMessageContaining("proves consistency from size 12, but the site last imported its checkpoint at size 9");
  }

  @Test
  void import_refusesACheckpointNoTrustedLogSigned() {
    UpstreamLogFixture stranger = new UpstreamLogFixture("rekor.upstream.example").append(3, "a");
    BundleContent c = new BundleContent();
    c.checkpoint(URL, now.minusSeconds(2), stranger.checkpoint(3), Optional.empty());
    assertThatThrownBy(() -> check(bundle(c)))
        .isInstanceOf(TransferRejectedException.class)
        .hasMessageContaining("upstream log " + URL + ": checkpoint of \"" + log.origin + "\" is signed by");
  }

  @Test
  void import_refusesTwoCheckpointsOfOneLogAndAProofToAnotherSize() {
    BundleContent two = new BundleContent();
    two.checkpoint(URL, now.minusSeconds(2), log.checkpoint(20), Optional.empty());
    two.checkpoint(URL, now.minusSeconds(2), log.checkpoint(21), Optional.empty());
    assertThatThrownBy(() -> check(bundle(two)))
        .isInstanceOf(BundleFormatException.class).hasMessageContaining("two checkpoints of upstream log");
    assertThatThrownBy(() -> check(carrying(21, Optional.of(proof(4, 20)))))
        .isInstanceOf(BundleFormatException.class).hasMessageContaining("ends at size 20, its checkpoint is at size 21");
  }

  @Test
  void consistencyProofBlob_roundTripsAndRefusesUnknownFieldsAndBadHashes() throws Exception {
    ConsistencyProofBlob p = proof(3, 21);
    ConsistencyProofBlob back = ConsistencyProofBlob.parse(p.toJson());
    assertThat(back.firstSize()).isEqualTo(3);
    assertThat(back.lastSize()).isEqualTo(21);
    assertThat(back.hashes()).hasSameSizeAs(p.hashes());
    assertThatThrownBy(() -> ConsistencyProofBlob.parse(
        "{\"firstSize\":3,\"lastSize\":21,\"hashes\":[],\"rootHash\":\"00\"}".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("unknown field \"rootHash\"");
    assertThatThrownBy(() -> ConsistencyProofBlob.parse(
        "{\"firstSize\":3,\"lastSize\":21,\"hashes\":[\"AB\"]}".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("not 64 lowercase hex digits");
    assertThatThrownBy(() -> ConsistencyProofBlob.parse(
        "{\"firstSize\":22,\"lastSize\":21,\"hashes\":[]}".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("1 <= firstSize <= lastSize");
  }

  @Test
  void statement_roundTripsItsCheckpointsAndTheReaderChecksTheirRoles() throws Exception {
    OpenedBundle b = carrying(21, Optional.of(proof(4, 21)));
    TransferStatement back = TransferStatement.parse(b.statement().toJson());
    assertThat(back.checkpoints()).isEqualTo(b.statement().checkpoints());
    assertThat(back.blobs()).extracting(TransferStatement.BlobRef::role)
        .containsExactlyInAnyOrder(TransferFormat.Role.CHECKPOINT, TransferFormat.Role.CONSISTENCY_PROOF);
    assertThatThrownBy(() -> MediaTypes.check(new TransferStatement.BlobRef(back.blobs().get(0).digest(), 1,
        TransferFormat.CHECKPOINT_MEDIA_TYPE + "+json", TransferFormat.Role.CHECKPOINT)))
        .hasMessageContaining("unknown for role checkpoint");
    List<TransferStatement.BlobRef> listed = back.blobs();
    Map<Digest, TransferStatement.BlobRef> byDigest = new HashMap<>();
    listed.forEach(r -> byDigest.put(r.digest(), r));
    Structure.check(b, byDigest);
  }
}
