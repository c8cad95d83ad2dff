package dev.airseal.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airseal.testing.Peers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bundle is an OCI archive that skopeo reads, plain and gzip-compressed. */
class SkopeoReadsBundleTest {
  @Test
  void skopeoInspect_readsTheTransferManifest(@TempDir Path tmp) throws Exception {
    Peers.require("skopeo");
    BundleFixtures fx = new BundleFixtures();
    for (boolean gzip : new boolean[] {false, true}) {
      Path file = tmp.resolve(gzip ? "b.tar.gz" : "b.tar");
      Files.write(file, fx.build(fx.content(2), 1, Optional.empty(), fx.transferKey, Instant.now().plusSeconds(600),
          gzip).bytes());
      Peers.Result r = Peers.peer(tmp, "skopeo", "inspect", "--raw", "oci-archive:" + file).run().succeeded();
      JsonNode m = new ObjectMapper().readTree(r.stdout());
      assertThat(m.path("artifactType").asText()).isEqualTo(TransferFormat.ARTIFACT_TYPE);
      assertThat(m.path("layers").get(0).path("mediaType").asText()).isEqualTo(TransferFormat.ENVELOPE_MEDIA_TYPE);
      Peers.peer(tmp, "skopeo", "inspect", "oci-archive:" + file).run().succeeded();
    }
  }
}
