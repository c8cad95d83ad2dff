package dev.airseal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airseal.oci.Digest;
import dev.airseal.oci.Manifest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

class EvidenceStoreTest {
  private static final String REPO = "registry.local/team/app";
  private static final Digest IMAGE = Digest.of("image".getBytes(StandardCharsets.UTF_8));

  private static DataSource db() {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    Flyway.configure().dataSource(ds).load().migrate();
    return ds;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aCommittedBatch_readsBackLikeARegistry() throws Exception {
    EvidenceStore store = new EvidenceStore(db());
    assertThat(store.version()).isZero();
    EvidenceBatch b = new EvidenceBatch();
    Digest layer = b.blob("application/vnd.dev.cosign.simplesigning.v1+json", bytes("{\"critical\":{}}"));
    Digest sig = b.blob(Manifest.OCI_MANIFEST, bytes("{\"layers\":[{\"digest\":\"" + layer + "\"}]}"));
    Digest bundle = b.blob(Manifest.OCI_MANIFEST, bytes("{\"artifactType\":\"bundle\"}"));
    b.tag(REPO, IMAGE.cosignTagPrefix() + ".sig", sig)
        .tag(REPO, "1.0", IMAGE)
        .referrer(IMAGE, bundle, "application/vnd.dev.sigstore.bundle.v0.3+json", Map.of("dev.sigstore.bundle.predicateType", "p"))
        .subject(REPO, IMAGE);

    EvidenceStore.Commit c = store.commit(b);

    assertThat(c.version()).isEqualTo(1);
    assertThat(store.version()).isEqualTo(1);
    assertThat(store.subjectVersion(REPO, IMAGE)).isEqualTo(1);
    assertThat(store.subjectVersion("elsewhere/app", IMAGE)).isZero();
    assertThat(store.tag(REPO, "1.0")).contains(IMAGE);
    Manifest m = store.manifest(REPO, IMAGE.cosignTagPrefix() + ".sig").orElseThrow();
    assertThat(m.digest()).isEqualTo(sig);
    assertThat(m.mediaType()).isEqualTo(Manifest.OCI_MANIFEST);
    assertThat(store.manifest("other/repo", IMAGE.cosignTagPrefix() + ".sig")).isEmpty();
    assertThat(store.blob(layer).orElseThrow().content()).isEqualTo(bytes("{\"critical\":{}}"));
    JsonNode index = new ObjectMapper().readTree(store.referrers(IMAGE).orElseThrow().bytes());
    assertThat(index.path("mediaType").asText()).isEqualTo(Manifest.OCI_INDEX);
    assertThat(index.path("manifests").get(0).path("digest").asText()).isEqualTo(bundle.toString());
    assertThat(index.path("manifests").get(0).path("artifactType").asText())
        .isEqualTo("application/vnd.dev.sigstore.bundle.v0.3+json");
    assertThat(index.path("manifests").get(0).path("annotations").path("dev.sigstore.bundle.predicateType").asText())
        .isEqualTo("p");
    assertThat(store.referrers(layer)).isEmpty();
    assertThat(store.repositoriesOf(IMAGE)).containsExactly(REPO);
  }

  @Test
  void laterCommits_moveTagsAndVersions_andKeepBlobsImmutable() {
    EvidenceStore store = new EvidenceStore(db());
    EvidenceBatch first = new EvidenceBatch();
    Digest a = first.blob(Manifest.OCI_MANIFEST, bytes("{\"a\":1}"));
    store.commit(first.tag(REPO, "latest", a).subject(REPO, IMAGE));
    EvidenceBatch second = new EvidenceBatch();
    Digest b2 = second.blob(Manifest.OCI_MANIFEST, bytes("{\"b\":2}"));
    second.blob(Manifest.OCI_MANIFEST, bytes("{\"a\":1}")); // already stored: no duplicate row
    store.commit(second.tag(REPO, "latest", b2).subject(REPO, IMAGE)
        .revoke(new Revocation(Revocation.Kind.DIGEST, a.toString(), "withdrawn"))
        .policy("verify-image.yaml", "kind: ClusterPolicy\n"));

    assertThat(store.version()).isEqualTo(2);
    assertThat(store.tag(REPO, "latest")).contains(b2);
    assertThat(store.subjectVersion(REPO, IMAGE)).isEqualTo(2);
    assertThat(store.revocations()).containsExactly(new Revocation(Revocation.Kind.DIGEST, a.toString(), "withdrawn"));
    assertThat(store.policies()).singleElement().satisfies(p -> {
      assertThat(p.name()).isEqualTo("verify-image.yaml");
      assertThat(p.version()).isEqualTo(2);
    });
    EvidenceStore.Stats s = store.stats();
    assertThat(s.blobs()).isEqualTo(2);
    assertThat(s.tags()).isEqualTo(1);
    assertThat(s.revocations()).isEqualTo(1);
  }

  @Test
  void anotherReplicasCommit_isHeardThroughTheVersionWatch() throws Exception {
    DataSource ds = db();
    java.util.concurrent.BlockingQueue<Long> heard = new java.util.concurrent.LinkedBlockingQueue<>();
    try (VersionWatch watch = new VersionWatch(ds, java.time.Duration.ofMillis(50))) {
      watch.watch(EvidenceStore.VERSION_NAME, EvidenceStore.VERSION_QUERY, heard::add);
      assertThat(heard.poll(5, java.util.concurrent.TimeUnit.SECONDS)).isZero();
      EvidenceBatch b = new EvidenceBatch();
      b.blob(Manifest.OCI_MANIFEST, bytes("{}"));
      new EvidenceStore(ds).commit(b); // another store on the same database: another replica
      assertThat(heard.poll(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(1L);
    }
  }

  @Test
  void aFailedTransaction_leavesNothingBehind() throws Exception {
    DataSource ds = db();
    EvidenceStore store = new EvidenceStore(ds);
    EvidenceBatch b = new EvidenceBatch();
    Digest d = b.blob(Manifest.OCI_MANIFEST, bytes("{}"));
    b.tag(REPO, "x", d);
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      EvidenceStore.commit(c, b);
      c.rollback();
    }
    assertThat(store.version()).isZero();
    assertThat(store.blob(d)).isEmpty();
    assertThat(store.tag(REPO, "x")).isEmpty();
  }

  @Test
  void aBlobEditedBehindOurBack_isRefusedOnRead() throws Exception {
    DataSource ds = db();
    EvidenceStore store = new EvidenceStore(ds);
    EvidenceBatch b = new EvidenceBatch();
    Digest d = b.blob(Manifest.OCI_MANIFEST, bytes("{\"honest\":true}"));
    store.commit(b);
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("UPDATE evidence_blob SET content = ? WHERE digest = ?")) {
      ps.setBytes(1, bytes("{\"honest\":false}"));
      ps.setString(2, d.toString());
      ps.executeUpdate();
    }
    assertThatThrownBy(() -> store.blob(d)).hasMessageContaining("does not hash to its digest");
  }

  @Test
  void aReferrerMustBeAStoredBlob() {
    EvidenceBatch b = new EvidenceBatch();
    assertThatThrownBy(() -> b.referrer(IMAGE, Digest.of(bytes("nope")), "t", Map.of()))
        .hasMessageContaining("must be added as a blob first");
    assertThatThrownBy(() -> new Revocation(Revocation.Kind.KEY, " ", "r")).isInstanceOf(IllegalArgumentException.class);
    assertThat(Revocation.Kind.fromWire("identity")).isEqualTo(Revocation.Kind.IDENTITY);
  }
}
