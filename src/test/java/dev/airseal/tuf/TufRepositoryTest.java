package dev.airseal.tuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airseal.signing.SignatureAlgorithm;
import dev.airseal.signing.Signer;
import dev.airseal.signing.soft.KeyGeneration;
import dev.airseal.signing.soft.SoftwareSigner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TufRepositoryTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Expiries EXPIRIES =
      new Expiries(Duration.ofDays(365), Duration.ofDays(90), Duration.ofDays(7), Duration.ofDays(1));

  @TempDir Path dir;

  private final Signer root = key();
  private final Signer online = key();

  private static Signer key() {
    return new SoftwareSigner(KeyGeneration.generate(SignatureAlgorithm.PKIX_ECDSA_P256_SHA_256),
        SignatureAlgorithm.PKIX_ECDSA_P256_SHA_256);
  }

  private TufRepository at(Instant t) {
    return new TufRepository(dir, EXPIRIES, Clock.fixed(t, ZoneOffset.UTC));
  }

  private static Map<String, byte[]> targets(String content) {
    return Map.of("trusted_root.json", content.getBytes(StandardCharsets.UTF_8));
  }

  private JsonNode signed(TufRepository r, String name) throws Exception {
    return JSON.readTree(r.read(name).orElseThrow()).path("signed");
  }

  @Test
  void publish_writesTargetsSnapshotTimestamp_onlyWhenTheTargetsChange() throws Exception {
    TufRepository r = at(T0);
    r.init(root, online);
    assertThat(r.publish(targets("a"), online)).isTrue();
    assertThat(r.publish(targets("a"), online)).isFalse();
    assertThat(r.publish(targets("b"), online)).isTrue();
    assertThat(r.version(TufRepository.TARGETS)).isEqualTo(2);
    assertThat(signed(r, "timestamp.json").at("/meta/snapshot.json/version").asInt()).isEqualTo(2);
    assertThat(signed(r, "2.snapshot.json").at("/meta/targets.json/version").asInt()).isEqualTo(2);
    assertThat(signed(r, "timestamp.json").path("expires").asText()).isEqualTo("2026-01-02T00:00:00Z");
    // Both target versions stay fetchable by hash: a client mid-update may still want the old one.
    assertThat(r.read("targets/" + TufHashes.sha256Hex("a".getBytes(StandardCharsets.UTF_8)) + ".trusted_root.json")).isPresent();
  }

  @Test
  void refresh_resignsEachRoleInTheLastHalfOfItsLifetime() throws Exception {
    at(T0).init(root, online);
    at(T0).publish(targets("a"), online);
    assertThat(at(T0.plus(Duration.ofHours(11))).refresh(Optional.of(root), online)).isEmpty();
    assertThat(at(T0.plus(Duration.ofHours(13))).refresh(Optional.of(root), online)).containsExactly(TufRepository.TIMESTAMP);
    assertThat(at(T0.plus(Duration.ofDays(4))).refresh(Optional.of(root), online))
        .containsExactly(TufRepository.SNAPSHOT, TufRepository.TIMESTAMP);
    TufRepository late = at(T0.plus(Duration.ofDays(200)));
    assertThat(late.refresh(Optional.of(root), online))
        .containsExactly(TufRepository.ROOT, TufRepository.TARGETS, TufRepository.SNAPSHOT, TufRepository.TIMESTAMP);
    assertThat(late.version(TufRepository.ROOT)).isEqualTo(2);
    // Without the root key the root is left alone.
    assertThat(at(T0.plus(Duration.ofDays(390))).refresh(Optional.empty(), online)).doesNotContain(TufRepository.ROOT);
  }

  @Test
  void rotateRoot_signsWithOldAndNewKeys_andRefusesAKeyThatIsNotTheRoot() throws Exception {
    TufRepository r = at(T0);
    r.init(root, online);
    r.publish(targets("a"), online);
    Signer next = key();
    assertThatThrownBy(() -> r.rotateRoot(online, next, online)).hasMessageContaining("is not a root key");
    assertThat(r.rotateRoot(root, next, online)).isEqualTo(2);
    JsonNode doc = JSON.readTree(r.read("2.root.json").orElseThrow());
    assertThat(doc.path("signatures").findValuesAsText("keyid"))
        .containsExactly(TufKey.of(root).keyId(), TufKey.of(next).keyId());
    assertThat(r.read("root.json")).contains(r.read("2.root.json").orElseThrow());
    // A new online key brings new targets, snapshot and timestamp signed by it.
    Signer online2 = key();
    r.rotateRoot(next, next, online2);
    assertThat(r.version(TufRepository.TARGETS)).isEqualTo(2);
    assertThat(JSON.readTree(r.read("timestamp.json").orElseThrow()).at("/signatures/0/keyid").asText())
        .isEqualTo(TufKey.of(online2).keyId());
  }

  @Test
  void read_servesOnlyTheRepositoryLayout() {
    TufRepository r = at(T0);
    r.init(root, online);
    for (String name : List.of("../keys/tuf-root.pem", "targets/../1.root.json", "1.root.json/..", "0.root.json",
        "targets/abc.trusted_root.json", ".1.root.json.tmp")) {
      assertThat(r.read(name)).as(name).isEmpty();
    }
    assertThat(r.read("1.root.json")).isPresent();
  }
}
