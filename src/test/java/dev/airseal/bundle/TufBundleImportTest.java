package dev.airseal.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airseal.bundle.service.BundleService;
import dev.airseal.evidence.EvidenceService;
import dev.airseal.signing.SignatureAlgorithm;
import dev.airseal.signing.Signer;
import dev.airseal.signing.soft.KeyFiles;
import dev.airseal.signing.soft.KeyGeneration;
import dev.airseal.signing.soft.SoftwareSigner;
import dev.airseal.store.TransferImports;
import dev.airseal.testing.TrustedRoots;
import dev.airseal.trust.TrustedRoot;
import dev.airseal.tuf.Expiries;
import dev.airseal.tuf.TufHashes;
import dev.airseal.tuf.TufRepository;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: an upstream TUF repository written by our own serving side ({@link TufRepository})
 * is carried by {@code bundle create --tuf-mirror}, imported against the installed upstream root
 * ({@code airseal.bundle.tuf-root}), and its trusted_root.json lands in the site trust root. A root
 * rotation then follows, and a bundle carrying the older metadata is refused as a rollback.
 */
@QuarkusTest
@TestProfile(TufBundleImportTest.WithTufRoot.class)
class TufBundleImportTest {
  static final Path ANCHOR = Path.of("target", "tufbundle-test", "root.json").toAbsolutePath();

  public static class WithTufRoot implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("airseal.bundle.tuf-root", ANCHOR.toString());
    }
  }

  @Inject BundleService bundles;
  @Inject EvidenceService evidence;
  @Inject dev.airseal.trust.service.TrustRootService trust;

  @TempDir Path tmp;

  static Signer key() {
    return new SoftwareSigner(KeyGeneration.generate(SignatureAlgorithm.PKIX_ECDSA_P256_SHA_256),
        SignatureAlgorithm.PKIX_ECDSA_P256_SHA_256);
  }

  /** An upstream trusted root naming one new log, and that log's ID. */
  static byte[] upstreamRoot(String url) {
    KeyPair log = KeyGeneration.generate(SignatureAlgorithm.PKIX_ECDSA_P256_SHA_256);
    return TrustedRoots.forLog(log.getPublic(), url, Instant.parse("2024-01-01T00:00:00Z"))
        .getBytes(StandardCharsets.UTF_8);
  }

  static byte[] logId(byte[] trustedRoot) throws Exception {
    return TrustedRoot.parse(trustedRoot).tlogs().get(0).logId();
  }

  private ImportReport importFile(Path bundle) throws Exception {
    try (InputStream in = Files.newInputStream(bundle)) {
      return bundles.importBundle(in, "tester", false, Optional.empty(), false);
    }
  }

  @Test
  void mirrorCarriedAndVerified_rotationFollowed_olderMetadataRefusedAsRollback() throws Exception {
    String producer = "tuf-" + Long.toHexString(System.nanoTime());
    KeyPair transfer = KeyFiles.loadOrCreateEcKey(tmp.resolve("transfer.key"));
    bundles.store().addKey(TransferKey.keyId(transfer.getPublic()), producer, TransferKey.toPem(transfer.getPublic()),
        "test", "tuf test producer");
    Signer root1 = key();
    Signer online = key();
    Path mirror = tmp.resolve("mirror");
    TufRepository upstream = new TufRepository(mirror, new Expiries(Duration.ofDays(365), Duration.ofDays(90),
        Duration.ofDays(7), Duration.ofDays(1)), Clock.systemUTC());
    upstream.init(root1, online);
    byte[] first = upstreamRoot("https://rekor.upstream-one.example");
    upstream.publish(Map.of("trusted_root.json", first), online);
    Files.createDirectories(ANCHOR.getParent());
    Files.write(ANCHOR, Files.readAllBytes(mirror.resolve("1.root.json")));
    Path before = tmp.resolve("mirror-before");
    copy(mirror, before);
    String[] common = {"--key", tmp.resolve("transfer.key").toString(), "--producer", producer,
        "--state", tmp.resolve("state.json").toString()};

    BundleCli c1 = BundleCli.create(with(common, "--tuf-mirror", mirror.toString(), "-o", tmp.resolve("b1.tar").toString()));
    assertThat(c1.exit()).as(c1.output()).isZero();
    assertThat(c1.output()).contains("TUF mirror " + mirror + ": roots 1..1, timestamp 1, snapshot 1, targets 1");
    // inspect verifies the carried metadata offline, from a given upstream root.
    Path pub = Files.writeString(tmp.resolve("transfer.pub"), TransferKey.toPem(transfer.getPublic()));
    BundleCli inspected = BundleCli.run("inspect", tmp.resolve("b1.tar").toString(), "--transfer-key", producer + "=" + pub,
        "--tuf-root", ANCHOR.toString());
    assertThat(inspected.exit()).as(inspected.output()).isZero();
    assertThat(inspected.output()).contains("upstream TUF metadata (1 root version(s), target trusted_root.json")
        .contains("upstream TUF: verified from " + ANCHOR + " at the bundle's creation time: root version 1,"
            + " timestamp 1, snapshot 1, targets 1");
    Path stranger = tmp.resolve("stranger");
    TufRepository other = new TufRepository(stranger, new Expiries(Duration.ofDays(365), Duration.ofDays(90),
        Duration.ofDays(7), Duration.ofDays(1)), Clock.systemUTC());
    other.init(key(), key());
    BundleCli refused = BundleCli.run("inspect", tmp.resolve("b1.tar").toString(), "--transfer-key", producer + "=" + pub,
        "--tuf-root", stranger.resolve("1.root.json").toString());
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.output()).contains("upstream TUF: FAILED: timestamp: 0 valid signature(s)");
    int trustBefore = trust.current().orElseThrow().version();
    ImportReport r1 = importFile(tmp.resolve("b1.tar"));
    assertThat(r1.outcome()).as(r1.message()).isEqualTo("ok");
    assertThat(r1.notes()).contains("upstream TUF: root unchanged at version 1")
        .anyMatch(n -> n.contains("expiry checked against the bundle's creation time") && n.contains("not the site clock"));
    assertThat(trust.current().orElseThrow().version()).isEqualTo(trustBefore + 1);
    assertThat(trust.current().orElseThrow().root().tlogByLogId(logId(first))).isPresent();
    String anchor = TufHashes.sha256Hex(Files.readAllBytes(ANCHOR));
    TransferImports.UpstreamTuf stored = bundles.store().upstreamTuf(anchor).orElseThrow();
    assertThat(stored.rootVersion()).isEqualTo(1);
    assertThat(stored.timestampVersion()).isEqualTo(1);
    assertThat(stored.sequence()).isEqualTo(1);

    // Upstream rotates its root key and publishes a second trusted root: bundle 2 carries roots 1..2.
    Signer root2 = key();
    upstream.rotateRoot(root1, root2, online);
    byte[] second = upstreamRoot("https://rekor.upstream-two.example");
    upstream.publish(Map.of("trusted_root.json", second), online);
    // The site trusts version 1 already, so the chain may start at 2.
    BundleCli c2 = BundleCli.create(with(common, "--tuf-mirror", mirror.toString(), "--tuf-from-root-version", "2",
        "-o", tmp.resolve("b2.tar").toString()));
    assertThat(c2.exit()).as(c2.output()).isZero();
    assertThat(c2.output()).contains("roots 2..2, timestamp 2, snapshot 2, targets 2");
    ImportReport r2 = importFile(tmp.resolve("b2.tar"));
    assertThat(r2.outcome()).as(r2.message()).isEqualTo("ok");
    assertThat(r2.notes()).contains("upstream TUF: root updated from version 1 to 2");
    assertThat(trust.current().orElseThrow().root().tlogByLogId(logId(second))).isPresent();
    assertThat(trust.current().orElseThrow().root().tlogByLogId(logId(first))).isPresent();
    stored = bundles.store().upstreamTuf(anchor).orElseThrow();
    assertThat(stored.rootVersion()).isEqualTo(2);
    assertThat(stored.targetsVersion()).isEqualTo(2);

    // Bundle 3 carries the metadata as it was before: a rollback, refused whole, nothing stored.
    BundleCli c3 = BundleCli.create(with(common, "--tuf-mirror", before.toString(), "-o", tmp.resolve("b3.tar").toString()));
    assertThat(c3.exit()).as(c3.output()).isZero();
    long version = evidence.store().version();
    int trustNow = trust.current().orElseThrow().version();
    ImportReport r3 = importFile(tmp.resolve("b3.tar"));
    assertThat(r3.outcome()).isEqualTo("rejected");
    assertThat(r3.message()).contains("upstream TUF metadata: rollback: the newest carried root is version 1,"
        + " the site already trusts version 2");
    assertThat(bundles.store().upstreamTuf(anchor).orElseThrow()).isEqualTo(stored);
    assertThat(bundles.store().head(producer).orElseThrow().sequence()).isEqualTo(2);
    assertThat(evidence.store().version()).isEqualTo(version);
    assertThat(trust.current().orElseThrow().version()).isEqualTo(trustNow);

    // A mirror whose target was altered is refused by the producer before anything is written.
    Path bad = tmp.resolve("mirror-bad");
    copy(mirror, bad);
    Path target = bad.resolve("targets").resolve(TufHashes.sha256Hex(second) + ".trusted_root.json");
    Files.writeString(target, Files.readString(target).replace("upstream-two", "upstream-tw0"));
    BundleCli c4 = BundleCli.create(with(common, "--tuf-mirror", bad.toString(), "-o", tmp.resolve("b4.tar").toString()));
    assertThat(c4.exit()).isNotZero();
    assertThat(c4.output()).contains("does not verify from its root version 1; no bundle written")
        .contains("does not match its sha256 hash");
    assertThat(tmp.resolve("b4.tar")).doesNotExist();
  }

  static void copy(Path from, Path to) throws java.io.IOException {
    try (java.util.stream.Stream<Path> files = Files.walk(from)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path dest = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dest);
        } else {
          Files.copy(p, dest);
        }
      }
    }
  }

  static String[] with(String[] common, String... more) {
    String[] all = java.util.Arrays.copyOf(common, common.length + more.length);
    System.arraycopy(more, 0, all, common.length, more.length);
    return all;
  }
}
