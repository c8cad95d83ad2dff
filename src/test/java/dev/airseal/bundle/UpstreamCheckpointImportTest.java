package dev.airseal.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.bundle.service.BundleService;
import dev.airseal.evidence.EvidenceService;
import dev.airseal.oci.Digest;
import dev.airseal.signing.soft.KeyFiles;
import dev.airseal.store.TransferImports;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One producer carries the site's own log (a valid upstream) in two bundles made by {@code bundle
 * create --upstream-log}, with the log growing in between (each import logs its envelope): the
 * first checkpoint is trusted on first use, the second must be consistent with it, and an older
 * checkpoint carried afterwards is refused as a rollback with the store unchanged.
 */
@QuarkusTest
class UpstreamCheckpointImportTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Inject BundleService bundles;
  @Inject EvidenceService evidence;
  @Inject dev.airseal.trust.service.TrustRootService trust;

  @TestHTTPResource("/")
  URL service;

  @TempDir Path tmp;

  private ImportReport importFile(Path bundle) throws Exception {
    try (InputStream in = Files.newInputStream(bundle)) {
      return bundles.importBundle(in, "tester", false, Optional.empty(), false);
    }
  }

  @Test
  void twoBundlesCarryTheLogAcrossAppends_andAnOlderCheckpointIsRefusedAsRollback() throws Exception {
    String producer = "upstream-" + Long.toHexString(System.nanoTime());
    KeyPair key = KeyFiles.loadOrCreateEcKey(tmp.resolve("transfer.key"));
    bundles.store().addKey(TransferKey.keyId(key.getPublic()), producer, TransferKey.toPem(key.getPublic()), "test",
        "upstream test producer");
    String url = service.toString().replaceAll("/$", "");
    String[] common = {"--key", tmp.resolve("transfer.key").toString(), "--producer", producer,
        "--state", tmp.resolve("state.json").toString(), "--upstream-log", url};

    // Bundle 1 grows the log by its own envelope, so bundle 2's checkpoint is not empty.
    BundleCli first = BundleCli.create("--key", tmp.resolve("transfer.key").toString(), "--producer", producer,
        "--state", tmp.resolve("state.json").toString(), "-o", tmp.resolve("b1.tar").toString());
    assertThat(first.exit()).as(first.output()).isZero();
    assertThat(importFile(tmp.resolve("b1.tar")).outcome()).isEqualTo("ok");

    BundleCli second = BundleCli.create(with(common, "-o", tmp.resolve("b2.tar").toString()));
    assertThat(second.exit()).as(second.output()).isZero();
    assertThat(second.output()).contains("first carried");
    long size2 = JSON.readTree(tmp.resolve("state.json").toFile()).path("checkpoints").path(url).path("size").asLong();
    String origin = JSON.readTree(tmp.resolve("state.json").toFile()).path("checkpoints").path(url).path("origin")
        .asText();
    assertThat(size2).isPositive();
    assertThat(bundles.store().upstreamCheckpoint(origin)).isEmpty();
    ImportReport r2 = importFile(tmp.resolve("b2.tar"));
    assertThat(r2.outcome()).as(r2.message()).isEqualTo("ok");
    assertThat(r2.notes()).anyMatch(n -> n.contains("first checkpoint (size " + size2 + ")")
        && n.contains("trust on first use"));
    assertThat(bundles.store().upstreamCheckpoint(origin)).get()
        .extracting(TransferImports.UpstreamCheckpoint::treeSize).isEqualTo(size2);

    BundleCli third = BundleCli.create(with(common, "-o", tmp.resolve("b3.tar").toString()));
    assertThat(third.exit()).as(third.output()).isZero();
    assertThat(third.output()).contains("consistency proof from size " + size2);
    long size3 = JSON.readTree(tmp.resolve("state.json").toFile()).path("checkpoints").path(url).path("size").asLong();
    assertThat(size3).isGreaterThan(size2);
    ImportReport r3 = importFile(tmp.resolve("b3.tar"));
    assertThat(r3.outcome()).as(r3.message()).isEqualTo("ok");
    assertThat(r3.notes()).contains("upstream log \"" + origin + "\": consistent from size " + size2 + " to " + size3);
    TransferImports.UpstreamCheckpoint stored = bundles.store().upstreamCheckpoint(origin).orElseThrow();
    assertThat(stored.treeSize()).isEqualTo(size3);
    assertThat(stored.sequence()).isEqualTo(3);
    assertThat(stored.producer()).isEqualTo(producer);
    BundleCli listed = BundleCli.run("upstream-logs", "--url", url);
    assertThat(listed.exit()).as(listed.output()).isZero();
    assertThat(listed.output()).contains(origin + "  size " + size3 + "  root " + stored.rootHash() + "  via " + url);

    // inspect verifies the carried checkpoints' signatures against a trust root, offline.
    Path pub = Files.writeString(tmp.resolve("transfer.pub"), TransferKey.toPem(key.getPublic()));
    Path siteRoot = Files.write(tmp.resolve("site-root.json"), trust.current().orElseThrow().root().toJson());
    BundleCli inspected = BundleCli.run("inspect", tmp.resolve("b3.tar").toString(), "--transfer-key", producer + "=" + pub,
        "--trusted-root", siteRoot.toString());
    assertThat(inspected.exit()).as(inspected.output()).isZero();
    assertThat(inspected.output()).contains("upstream log " + url + ": checkpoint \"" + origin + "\" size " + size3)
        .contains("with a consistency proof, signed by");

    // Bundle 4 carries bundle 2's (smaller) checkpoint again: a rollback of the upstream log.
    OpenedBundle b2 = BundleReader.open(Files.newInputStream(tmp.resolve("b2.tar")), BundleLimits.defaults(),
        java.util.List.of(new TransferKey(producer, key.getPublic()))).readBlobs(Optional.empty());
    TransferStatement.UpstreamCheckpoint old = b2.statement().checkpoints().get(0);
    BundleContent c = new BundleContent();
    c.checkpoint(url, old.fetched(), new String(b2.blob(old.checkpoint()).orElseThrow(),
        java.nio.charset.StandardCharsets.UTF_8), Optional.empty());
    String head = bundles.store().head(producer).orElseThrow().bundleDigest();
    TransferStatement s = c.statement(producer, 4, Instant.now().minusSeconds(1), Instant.now().plus(Duration.ofDays(1)),
        Optional.of(Digest.parse(head)));
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    BundleWriter.write(c, s, new dev.airseal.signing.soft.SoftwareSigner(key), out, false);
    long version = evidence.store().version();
    ImportReport r4 = bundles.importBundle(new ByteArrayInputStream(out.toByteArray()), "tester", false,
        Optional.empty(), false);
    assertThat(r4.outcome()).isEqualTo("rejected");
    assertThat(r4.message()).contains("rolled back: checkpoint size " + size2 + " is smaller than size " + size3);
    assertThat(bundles.store().upstreamCheckpoint(origin).orElseThrow().treeSize()).isEqualTo(size3);
    assertThat(bundles.store().head(producer).orElseThrow().sequence()).isEqualTo(3);
    assertThat(evidence.store().version()).isEqualTo(version);

    // The producer refuses to carry a log that forked from what it carried before.
    ObjectNode st = (ObjectNode) JSON.readTree(tmp.resolve("state.json").toFile());
    ((ObjectNode) st.path("checkpoints").path(url)).put("rootHash", "00".repeat(32));
    Files.writeString(tmp.resolve("state.json"), st.toPrettyString());
    BundleCli forked = BundleCli.create(with(common, "-o", tmp.resolve("b5.tar").toString()));
    assertThat(forked.exit()).isNotZero();
    assertThat(forked.output()).contains("is not consistent with the checkpoint this producer carried before");
    assertThat(tmp.resolve("b5.tar")).doesNotExist();
  }

  private static String[] with(String[] common, String... more) {
    String[] all = java.util.Arrays.copyOf(common, common.length + more.length);
    System.arraycopy(more, 0, all, common.length, more.length);
    return all;
  }
}
