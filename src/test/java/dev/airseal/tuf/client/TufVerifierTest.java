package dev.airseal.tuf.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.testing.TufFixture;
import dev.airseal.testing.TufFixture.Key;
import dev.airseal.testing.TufFixture.Repo;
import dev.airseal.testing.TufFixture.Role;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The client workflow over repositories generated here, one rule per case. */
class TufVerifierTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  // Metadata lifetimes are set relative to a fixed "fetch" time, far in the past of the site clock.
  private static final Instant FETCHED = Instant.parse("2024-03-01T00:00:00Z");
  private static final Instant EXPIRES = FETCHED.plus(Duration.ofDays(30));
  private static final byte[] TARGET = "{\"mediaType\":\"trusted root\"}".getBytes(StandardCharsets.UTF_8);

  private final Key root1 = TufFixture.ecdsa();
  private final Key online = TufFixture.ed25519();

  private Repo repo() {
    return new Repo(root1, online, EXPIRES, "trusted_root.json", TARGET);
  }

  private static TufVerifier.Carried carried(Repo r) {
    return new TufVerifier.Carried(r.roots, r.timestamp, r.snapshot, r.targets, r.targetName, r.target);
  }

  private static TufVerifier.Trusted from(Repo r, int rootVersion) {
    return new TufVerifier.Trusted(r.roots.get(rootVersion - 1), 0, 0, 0);
  }

  private static Map<String, Role> roles(Role root, Role timestamp, Role snapshot, Role targets) {
    Map<String, Role> m = new LinkedHashMap<>();
    m.put("root", root);
    m.put("timestamp", timestamp);
    m.put("snapshot", snapshot);
    m.put("targets", targets);
    return m;
  }

  @Test
  void goodChainVerifiesAndReturnsTheTarget() throws Exception {
    Repo r = repo();
    TufVerifier.Result res = TufVerifier.verify(from(r, 1), carried(r), FETCHED);
    assertThat(res.rootVersion()).isEqualTo(1);
    assertThat(res.target()).isEqualTo(TARGET);
    assertThat(List.of(res.timestamp(), res.snapshot(), res.targets())).containsExactly(1L, 1L, 1L);
    assertThat(res.notes()).contains("root unchanged at version 1");
  }

  @Test
  void rootRotationChainIsFollowedWhenEachStepMeetsBothThresholds() throws Exception {
    Repo r = repo();
    Key root2 = TufFixture.rsaPss();
    Key root3a = TufFixture.ecdsa();
    Key root3b = TufFixture.ed25519();
    Key online2 = TufFixture.ecdsa();
    // v2: a new (RSA) root key, signed by the old and the new; v3: 2 of 3 root keys and a new online key.
    r.rotate(roles(Role.of(root2), Role.of(online), Role.of(online), Role.of(online)), EXPIRES, List.of(root1, root2));
    r.rotate(roles(new Role(List.of(root3a, root3b, root2), 2), Role.of(online2), Role.of(online2), Role.of(online2)),
        EXPIRES, List.of(root2, root3a, root3b));
    r.signers(List.of(online2), List.of(online2), List.of(online2));
    r.publish(1, 1, 1, EXPIRES, TARGET);
    TufVerifier.Result res = TufVerifier.verify(from(r, 1), carried(r), FETCHED);
    assertThat(res.rootVersion()).isEqualTo(3);
    assertThat(new String(res.root(), StandardCharsets.UTF_8)).isEqualTo(new String(r.roots.get(2),
        StandardCharsets.UTF_8));
    assertThat(res.notes()).contains("root updated from version 1 to 3");
    // A site that stored version 2 continues from it: version 1 in the chain is skipped.
    assertThat(TufVerifier.verify(from(r, 2), carried(r), FETCHED).rootVersion()).isEqualTo(3);
    // The old online key no longer signs the timestamp once version 3 is trusted.
    r.signers(List.of(online), List.of(online2), List.of(online2));
    r.publish(2, 1, 1, EXPIRES, TARGET);
    assertThatThrownBy(() -> TufVerifier.verify(from(r, 1), carried(r), FETCHED))
        .hasMessageContaining("timestamp: 0 valid signature(s) by keys of role timestamp, threshold 1");
  }

  @Test
  void rootVersionNotSignedByThePreviousRootIsRefused() {
    Repo r = repo();
    Key root2 = TufFixture.ecdsa();
    r.rotate(roles(Role.of(root2), Role.of(online), Role.of(online), Role.of(online)), EXPIRES, List.of(root2));
    assertThatThrownBy(() -> TufVerifier.verify(from(r, 1), carried(r), FETCHED))
        .isInstanceOf(TufException.class)
        .hasMessageContaining("root version 2 (by the keys of version 1): 0 valid signature(s)");
    // Nor one that the old root signs and its own keys do not.
    Repo r2 = repo();
    r2.rotate(roles(Role.of(root2), Role.of(online), Role.of(online), Role.of(online)), EXPIRES, List.of(root1));
    assertThatThrownBy(() -> TufVerifier.verify(from(r2, 1), carried(r2), FETCHED))
        .hasMessageContaining("root version 2 (by its own keys): 0 valid signature(s)");
  }

  @Test
  void thresholdNotMetIsRefused_andAKeySigningTwiceCountsOnce() throws Exception {
    Repo r = repo();
    Key t1 = TufFixture.ecdsa();
    Key t2 = TufFixture.ed25519();
    r.rotate(roles(Role.of(root1), Role.of(online), Role.of(online), new Role(List.of(t1, t2), 2)), EXPIRES,
        List.of(root1));
    r.signers(List.of(online), List.of(online), List.of(t1, t1));
    r.publish(1, 1, 1, EXPIRES, TARGET);
    assertThatThrownBy(() -> TufVerifier.verify(from(r, 1), carried(r), FETCHED))
        .hasMessageContaining("targets: 1 valid signature(s) by keys of role targets, threshold 2");
    r.signers(List.of(online), List.of(online), List.of(t1, t2));
    r.publish(1, 1, 1, EXPIRES, TARGET);
    assertThat(TufVerifier.verify(from(r, 1), carried(r), FETCHED).targets()).isEqualTo(1);
  }

  @Test
  void tamperedTargetOrMetadataIsRefused() throws Exception {
    Repo r = repo();
    byte[] other = "{\"mediaType\":\"trusted rooT\"}".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> TufVerifier.verify(from(r, 1), new TufVerifier.Carried(r.roots, r.timestamp, r.snapshot,
        r.targets, r.targetName, other), FETCHED))
        .hasMessageContaining("target trusted_root.json does not match its sha256 hash");
    assertThatThrownBy(() -> TufVerifier.verify(from(r, 1), new TufVerifier.Carried(r.roots, r.timestamp, r.snapshot,
        r.targets, r.targetName, "{}".getBytes(StandardCharsets.UTF_8)), FETCHED))
        .hasMessageContaining("target trusted_root.json is 2 bytes, its metadata says " + TARGET.length);
    // A targets document edited after signing: its snapshot hash no longer matches, and re-hashing
    // it into the snapshot leaves a snapshot nobody signed.
    ObjectNode t = (ObjectNode) JSON.readTree(r.targets);
    ((ObjectNode) t.path("signed")).put("expires", "2099-01-01T00:00:00Z");
    byte[] edited = JSON.writeValueAsBytes(t);
    assertThatThrownBy(() -> TufVerifier.verify(from(r, 1), new TufVerifier.Carried(r.roots, r.timestamp, r.snapshot,
        edited, r.targetName, r.target), FETCHED)).hasMessageContaining("targets is");
    assertThatThrownBy(() -> TufVerifier.verify(from(r, 1), new TufVerifier.Carried(r.roots, r.timestamp, r.snapshot,
        r.targets, "other.json", r.target), FETCHED)).hasMessageContaining("names no target \"other.json\"");
  }

  @Test
  void versionsBelowTheStoredOnesAreRollbacks() throws Exception {
    Repo r = repo();
    r.publish(5, 4, 3, EXPIRES, TARGET);
    byte[] root = r.roots.get(0);
    assertThat(TufVerifier.verify(new TufVerifier.Trusted(root, 5, 4, 3), carried(r), FETCHED).timestamp())
        .isEqualTo(5);
    assertThatThrownBy(() -> TufVerifier.verify(new TufVerifier.Trusted(root, 6, 0, 0), carried(r), FETCHED))
        .hasMessageContaining("rollback: timestamp version 5 is below version 6");
    assertThatThrownBy(() -> TufVerifier.verify(new TufVerifier.Trusted(root, 0, 5, 0), carried(r), FETCHED))
        .hasMessageContaining("rollback: the timestamp names snapshot version 4, below version 5");
    assertThatThrownBy(() -> TufVerifier.verify(new TufVerifier.Trusted(root, 0, 0, 4), carried(r), FETCHED))
        .hasMessageContaining("rollback: the snapshot names targets version 3, below version 4");
    // A site that trusts root version 2 is sent only version 1.
    Repo r2 = repo();
    r2.rotate(roles(Role.of(root1), Role.of(online), Role.of(online), Role.of(online)), EXPIRES, List.of(root1));
    assertThatThrownBy(() -> TufVerifier.verify(from(r2, 2), new TufVerifier.Carried(List.of(r2.roots.get(0)),
        r2.timestamp, r2.snapshot, r2.targets, r2.targetName, r2.target), FETCHED))
        .hasMessageContaining("rollback: the newest carried root is version 1, the site already trusts version 2");
  }

  @Test
  void expiryIsJudgedAtTheGivenTime_notTheSiteClock() throws Exception {
    Repo r = repo();
    // Long expired by the site clock, valid when fetched.
    assertThat(EXPIRES).isBefore(Instant.now());
    assertThat(TufVerifier.verify(from(r, 1), carried(r), EXPIRES.minusSeconds(1)).target()).isEqualTo(TARGET);
    assertThatThrownBy(() -> TufVerifier.verify(from(r, 1), carried(r), EXPIRES))
        .hasMessageContaining("root version 1 expired at " + EXPIRES);
    // Only the timestamp expired.
    Repo longRoot = new Repo(root1, online, EXPIRES.plus(Duration.ofDays(9)), "trusted_root.json", TARGET);
    longRoot.timestamp = TufFixture.sign(TufFixture.timestamp(1, EXPIRES, longRoot.snapshot, 1), List.of(online));
    assertThatThrownBy(() -> TufVerifier.verify(from(longRoot, 1), carried(longRoot), EXPIRES.plusSeconds(60)))
        .hasMessageContaining("timestamp version 1 expired at " + EXPIRES);
  }

  @Test
  void unknownKeyTypeCannotSign() {
    Key odd = TufFixture.ecdsa().withKeyType("x-quantum");
    Repo r = repo();
    r.rotate(roles(Role.of(root1), Role.of(odd), Role.of(online), Role.of(online)), EXPIRES, List.of(root1));
    r.signers(List.of(odd), List.of(online), List.of(online));
    r.publish(1, 1, 1, EXPIRES, TARGET);
    assertThatThrownBy(() -> TufVerifier.verify(from(r, 1), carried(r), FETCHED))
        .hasMessageContaining("timestamp: 0 valid signature(s) by keys of role timestamp, threshold 1")
        .hasMessageContaining("has key type \"x-quantum\", not one of ed25519, ecdsa, rsa");
  }
}
