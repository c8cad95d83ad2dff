package dev.airseal.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The statement's {@code tuf} field: round trip, strict parsing, and the blob roles it must name. */
class TufStatementTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static BundleContent content() {
    BundleContent c = new BundleContent();
    c.tuf(List.of(bytes("root1"), bytes("root2")), bytes("ts"), bytes("snap"), bytes("targets"), "trusted_root.json",
        bytes("target"), "application/vnd.dev.sigstore.trustedroot+json;version=0.1");
    return c;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static TransferStatement statement(BundleContent c) {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    return c.statement("factory", 1, now, now.plusSeconds(3600), Optional.empty());
  }

  @Test
  void roundTripsWithEveryBlobInItsOwnRole() throws Exception {
    TransferStatement s = statement(content());
    TransferStatement back = TransferStatement.parse(s.toJson());
    assertThat(back.tuf()).isEqualTo(s.tuf());
    assertThat(back.tuf().orElseThrow().roots()).containsExactly(Digest.of(bytes("root1")), Digest.of(bytes("root2")));
    assertThat(back.blobs()).extracting(TransferStatement.BlobRef::role).containsExactly(
        TransferFormat.Role.TUF_ROOT, TransferFormat.Role.TUF_ROOT, TransferFormat.Role.TUF_TIMESTAMP,
        TransferFormat.Role.TUF_SNAPSHOT, TransferFormat.Role.TUF_TARGETS, TransferFormat.Role.TUF_TARGET);
    for (TransferStatement.BlobRef b : back.blobs()) {
      MediaTypes.check(b);
    }
    assertThat(JSON.readTree(s.toJson()).path("tuf").path("target").path("name").asText())
        .isEqualTo("trusted_root.json");
  }

  @Test
  void strictParsing() throws Exception {
    ObjectNode n = (ObjectNode) JSON.readTree(statement(content()).toJson());
    ObjectNode extra = n.deepCopy();
    ((ObjectNode) extra.get("tuf")).put("mirror", "x");
    assertThatThrownBy(() -> TransferStatement.parse(JSON.writeValueAsBytes(extra)))
        .hasMessageContaining("tuf has unknown field \"mirror\"");
    ObjectNode noRoots = n.deepCopy();
    ((ObjectNode) noRoots.get("tuf")).putArray("roots");
    assertThatThrownBy(() -> TransferStatement.parse(JSON.writeValueAsBytes(noRoots)))
        .hasMessageContaining("tuf.roots must name at least the newest root");
    ObjectNode badName = n.deepCopy();
    ((ObjectNode) badName.path("tuf").path("target")).put("name", "../trusted_root.json");
    assertThatThrownBy(() -> TransferStatement.parse(JSON.writeValueAsBytes(badName)))
        .hasMessageContaining("tuf.target.name");
    assertThatThrownBy(() -> MediaTypes.check(new TransferStatement.BlobRef(Digest.of(bytes("ts")), 2,
        TransferFormat.TUF_TIMESTAMP_MEDIA_TYPE + ";x", TransferFormat.Role.TUF_TIMESTAMP)))
        .hasMessageContaining("unknown for role tuf-timestamp");
  }
}
