package dev.airseal.bundle;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.airseal.bench.SyntheticEvidence;
import dev.airseal.bundle.service.BundleService;
import dev.airseal.evidence.EvidenceService;
import dev.airseal.oci.Digest;
import dev.airseal.oci.ImageReference;
import dev.airseal.store.AuditEvent;
import dev.airseal.store.AuditLog;
import dev.airseal.store.EvidenceStore;
import dev.airseal.trust.service.TrustRootService;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Imports through the service: verified, atomic, audited, logged; refused bundles change nothing. */
@QuarkusTest
class TransferImportTest {
  @Inject BundleService bundles;
  @Inject EvidenceService evidence;
  @Inject TrustRootService trust;
  @Inject Instance<DataSource> ds;

  BundleFixtures fx;

  @BeforeEach
  void trustProducer() {
    fx = new BundleFixtures();
    bundles.store().addKey(fx.trusted().keyId(), fx.producer, TransferKey.toPem(fx.transferKey.publicKey()), "test",
        "test producer");
  }

  ImportReport importBytes(byte[] b) throws IOException {
    return bundles.importBundle(new ByteArrayInputStream(b), "tester", false, Optional.empty(), false);
  }

  @Test
  void import_commitsVerifiedEvidenceLogsTheEnvelopeAndExcludesWhatFails() throws Exception {
    BundleContent c = fx.content(2);
    // An image signed by a key the producer does not name: reported and excluded.
    SyntheticEvidence stranger = new SyntheticEvidence();
    ImageReference bad = SyntheticEvidence.image("registry.example/team/other", 9);
    stranger.add(c, bad, 1, 0, List.of("latest"));
    int trustBefore = trust.current().orElseThrow().version();
    BundleFixtures.Built b = fx.build(c, 1, Optional.empty());

    Response r = given().body(b.bytes()).header("X-Airseal-Actor", "alice").post("/api/v1/bundles");
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
    assertThat(r.jsonPath().getString("outcome")).isEqualTo("ok");
    assertThat(given().get("/q/metrics").asString()).containsPattern("airseal_bundle_imports_total\\{result=\"ok\"\\} [1-9]");
    assertThat(r.jsonPath().getString("bundleDigest")).isEqualTo(b.digest().toString());
    assertThat(r.jsonPath().getString("fileDigest")).isEqualTo(Digest.of(b.bytes()).toString());
    assertThat(r.jsonPath().getLong("logIndex")).isGreaterThanOrEqualTo(0);
    assertThat(r.jsonPath().getList("images.accepted")).containsExactly(true, true, false);
    assertThat(r.jsonPath().getString("images[2].problems")).contains("none of 1 signatures verified");
    assertThat(trust.current().orElseThrow().version()).isEqualTo(trustBefore + 1);

    EvidenceStore store = evidence.store();
    TransferStatement s = TransferStatement.parse(java.util.Base64.getDecoder().decode(
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(
            BundleReader.open(new ByteArrayInputStream(b.bytes()), BundleLimits.defaults(), List.of(fx.trusted()))
                .envelope()).path("payload").asText()));
    TransferStatement.Image first = s.images().get(0);
    assertThat(store.tag(first.repository(), "v0")).contains(first.digest());
    assertThat(store.tag(first.repository(), first.digest().cosignTagPrefix() + ".sig")).isPresent();
    assertThat(store.tag(first.repository(), first.digest().cosignTagPrefix() + ".att")).isPresent();
    assertThat(store.tag(bad.context(), "latest")).isEmpty();

    AuditEvent audit = new AuditLog(ds.get()).recent("bundle.import", 1).get(0);
    assertThat(audit.subject()).isEqualTo(fx.producer + "/1");
    assertThat(audit.outcome()).isEqualTo("ok");
    assertThat(audit.actor()).isEqualTo("alice");

    // Again: a no-op that says so.
    ImportReport again = importBytes(b.bytes());
    assertThat(again.outcome()).isEqualTo("noop");
    assertThat(again.message()).contains("already imported");
  }

  @Test
  void import_refusesRollbackReplayBrokenChainAndExpiry_andChangesNothing() throws Exception {
    BundleFixtures.Built first = fx.build(fx.content(1), 5, Optional.empty());
    ImportReport ok = importBytes(first.bytes());
    assertThat(ok.outcome()).as(ok.message()).isEqualTo("ok");
    assertThat(ok.notes()).anyMatch(n -> n.contains("sequences 1..4 were never imported"));
    long version = evidence.store().version();

    assertRejected(fx.build(fx.content(1), 4, Optional.of(first.digest())), "rollback");
    assertRejected(fx.build(fx.content(1), 5, Optional.empty()), "replay or forgery");
    assertRejected(fx.build(fx.content(1), 6, Optional.of(Digest.of(new byte[] {1}))), "hash chain broken");
    assertRejected(fx.build(fx.content(1), 6, Optional.of(first.digest()), fx.transferKey,
        Instant.now().minusSeconds(120), false), "expired at"); // beyond the 60 s clock-skew window
    assertRejected(fx.build(fx.content(1), 6, Optional.of(first.digest()), BundleFixtures.newKey(),
        Instant.now().plusSeconds(600), false), "does not verify with any trusted transfer key");
    assertThat(evidence.store().version()).isEqualTo(version);

    ImportReport next = importBytes(fx.build(fx.content(1), 6, Optional.of(first.digest())).bytes());
    assertThat(next.outcome()).as(next.message()).isEqualTo("ok");
    ImportReport gap = importBytes(fx.build(fx.content(1), 9, Optional.of(Digest.of(new byte[] {2}))).bytes());
    assertThat(gap.outcome()).isEqualTo("ok");
    assertThat(gap.notes()).anyMatch(n -> n.contains("gap: sequences 7..8"));
  }

  @Test
  void strictImport_refusesTheWholeBundleWhenAnImageFails() throws Exception {
    BundleContent c = fx.content(1);
    new SyntheticEvidence().add(c, SyntheticEvidence.image("registry.example/team/x", 1), 1, 0, List.of());
    long version = evidence.store().version();
    ImportReport r = bundles.importBundle(new ByteArrayInputStream(fx.build(c, 1, Optional.empty()).bytes()), "t",
        true, Optional.empty(), false);
    assertThat(r.outcome()).isEqualTo("rejected");
    assertThat(r.message()).contains("strict import: 1 of 2 images");
    assertThat(evidence.store().version()).isEqualTo(version);
    assertThat(bundles.store().head(fx.producer)).isEmpty();
  }

  @Test
  void pushToUnreachableRegistry_isRefusedWithTheReason_commitsNothing_andLeavesNoSpool() throws Exception {
    BundleContent c = fx.content(1);
    PatternLayer layer = new PatternLayer(3L << 20);
    fx.evidence.carriedImage(c, "registry.example/team/big", "big", layer.digest(), layer.size(), layer::open);
    byte[] b = fx.build(c, 1, Optional.empty()).bytes();
    long version = evidence.store().version();
    String nobody = "127.0.0.1:" + dev.airseal.testing.ServiceProcess.freePort();

    ImportReport r = bundles.importBundle(new ByteArrayInputStream(b), "t", false, Optional.of(nobody), true);
    assertThat(r.outcome()).as(r.message()).isEqualTo("rejected");
    assertThat(r.message()).startsWith("pushing to the site registry failed, nothing was imported: ");
    assertThat(evidence.store().version()).isEqualTo(version);
    assertThat(bundles.store().head(fx.producer)).isEmpty();
    assertThat(new AuditLog(ds.get()).recent("bundle.import", 1).get(0).outcome()).isEqualTo("rejected");
    java.nio.file.Path spool = java.nio.file.Path.of(
        org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("airseal.data-dir", String.class),
        "import-spool");
    try (var left = java.nio.file.Files.list(spool)) {
      assertThat(left).isEmpty();
    }

    // The same bundle imports once the push is not asked for: the refusal used up nothing.
    assertThat(importBytes(b).outcome()).isEqualTo("ok");
  }

  @Test
  void hostileCorpus_isRefusedAndAuditedWithTheStoreUnchanged() throws Exception {
    HostileBundleTest.fx = fx;
    HostileBundleTest.valid = fx.build(fx.content(2), 1, Optional.empty()).bytes();
    long version = evidence.store().version();
    int cases = 0;
    for (org.junit.jupiter.params.provider.Arguments a : HostileBundleTest.corpus().toList()) {
      Object[] args = a.get();
      ImportReport r = importBytes((byte[]) args[1]);
      assertThat(r.outcome()).as((String) args[0]).isEqualTo("rejected");
      assertThat(r.message()).as((String) args[0]).contains((String) args[2]);
      cases++;
    }
    assertThat(cases).isGreaterThan(20);
    assertThat(evidence.store().version()).isEqualTo(version);
    assertThat(bundles.store().head(fx.producer)).isEmpty();
    assertThat(new AuditLog(ds.get()).recent("bundle.import", 1).get(0).outcome()).isEqualTo("rejected");
  }

  private void assertRejected(BundleFixtures.Built b, String message) throws IOException {
    ImportReport r = importBytes(b.bytes());
    assertThat(r.outcome()).as(r.message()).isEqualTo("rejected");
    assertThat(r.message()).contains(message);
  }
}
