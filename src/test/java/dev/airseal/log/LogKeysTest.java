package dev.airseal.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airseal.log.checkpoint.Checkpoints;
import dev.airseal.log.note.NoteException;
import dev.airseal.log.note.NoteVerifier;
import dev.airseal.log.sequencer.Appended;
import dev.airseal.log.sequencer.EntryDraft;
import dev.airseal.log.store.JdbcLogStore;
import dev.airseal.signing.Signer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LogKeysTest {

  /** A clock the test moves. */
  private static final class StepClock extends Clock {
    volatile Instant now = Instant.ofEpochSecond(1_800_000_000L);

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private static String id(Signer s) {
    return Hex.encode(Rfc6962.sha256(s.publicKey().getEncoded()));
  }

  @Test
  void at_picksTheKeyOfTheSecond_andTheFirstKeyCoversEverythingBefore() throws Exception {
    Signer a = LogTestSupport.newSigner();
    Signer b = LogTestSupport.newSigner();
    LogKeys keys = LogKeys.of(a).then(100, b);
    assertThat(keys.at(0).logIdHex()).isEqualTo(id(a));
    assertThat(keys.at(99).logIdHex()).isEqualTo(id(a));
    assertThat(keys.at(100).logIdHex()).isEqualTo(id(b));
    assertThat(keys.current().logIdHex()).isEqualTo(id(b));
    assertThat(keys.byLogId(id(a))).isPresent();
  }

  @Test
  void then_refusesAReusedKey_andAStartNotAfterTheCurrentOne() throws Exception {
    Signer a = LogTestSupport.newSigner();
    Signer b = LogTestSupport.newSigner();
    LogKeys keys = LogKeys.of(a).then(100, b);
    assertThatThrownBy(() -> keys.then(200, a)).hasMessageContaining("was used before");
    assertThatThrownBy(() -> keys.then(100, LogTestSupport.newSigner())).hasMessageContaining("must start after");
    assertThatThrownBy(() -> LogKeys.of(List.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void requireSigner_namesTheKeyAReplicaDoesNotHold() throws Exception {
    Signer a = LogTestSupport.newSigner();
    LogKeys.Epoch e = LogKeys.epoch(5, a.publicKey(), Optional.empty());
    assertThatThrownBy(e::requireSigner).hasMessageContaining(id(a)).hasMessageContaining("airseal.log.key");
  }

  @Test
  void rotatedLog_keepsItsTree_andSignsEachBatchWithTheKeyOfItsTime() throws Exception {
    Signer a = LogTestSupport.newSigner();
    Signer b = LogTestSupport.newSigner();
    StepClock clock = new StepClock();
    AtomicReference<LogKeys> keys = new AtomicReference<>(LogKeys.of(a));
    JdbcLogStore store = new JdbcLogStore(LogTestSupport.memoryDatabase());
    TransparencyLog.Settings settings =
        new TransparencyLog.Settings("test.example", 16, Duration.ofMillis(2), 100, 16, Duration.ofMillis(50));
    try (TransparencyLog log = TransparencyLog.open(store, keys::get, settings,
        (index, time, body) -> keys.get().at(time).requireSigner().sign(body), clock)) {
      Appended before = log.append(draft("before")).join();
      long origin = log.treeId();

      long switchAt = clock.now.getEpochSecond() + 2;
      keys.set(keys.get().then(switchAt, b));
      // Still the old key's second: the batch, SET and checkpoint alike, stays with the old key.
      Appended sameSecond = log.append(draft("same second")).join();
      assertThat(signedBy(sameSecond.head(), a)).isTrue();
      assertThat(signedBy(sameSecond.head(), b)).isFalse();

      clock.now = Instant.ofEpochSecond(switchAt);
      Appended after = log.append(draft("after")).join();
      assertThat(signedBy(after.head(), b)).isTrue();
      assertThat(signedBy(after.head(), a)).isFalse();
      assertThat(log.treeId()).isEqualTo(origin);
      assertThat(after.entry().index()).isEqualTo(before.entry().index() + 2);
      // The tree grew over the rotation: the old checkpoint is a prefix of the new one.
      ConsistencyProof.verify(
          before.tree().size(), after.tree().size(),
          after.tree().proofs().consistency(before.tree().size(), after.tree().size()),
          before.head().root(), after.head().root());
      assertThat(Hex.encode(log.logId())).isEqualTo(id(b));
    }
  }

  private static boolean signedBy(TreeHead head, Signer s) {
    try {
      Checkpoints.verify(head.checkpoint(), NoteVerifier.fromPublicKey("test.example", s.publicKey()), null);
      return true;
    } catch (NoteException e) {
      return false;
    }
  }

  private static EntryDraft draft(String s) {
    return EntryDraft.of("test", "0.0.1", s.getBytes(StandardCharsets.UTF_8), List.of());
  }
}
