package dev.airseal.log;

import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airseal.testing.Tally;
import dev.airseal.testing.Vectors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * transparency-dev/merkle proof probes: one JSON file per case, expected verdict in {@code
 * wantErr}. The subtreeinclusion/subtreeconsistency folders test subtree proofs (tlog-tiles / MTC
 * APIs) that an RFC 6962 log does not serve, so they are not run.
 */
class MerkleProofVectorsTest {
  private static final String SUITE = "transparency-dev-merkle";
  private static final Tally INCLUSION = new Tally(SUITE + " inclusion");
  private static final Tally CONSISTENCY = new Tally(SUITE + " consistency");

  static Stream<Arguments> inclusion() {
    return cases("inclusion");
  }

  static Stream<Arguments> consistency() {
    return cases("consistency");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inclusion")
  void inclusionProof_givesTheExpectedVerdict(String name, Path file) {
    JsonNode c = Vectors.json(file);
    var verify =
        assertThatCode(
            () ->
                InclusionProof.verify(
                    c.get("leafIdx").asLong(),
                    c.get("treeSize").asLong(),
                    hash(c.get("leafHash")),
                    hashes(c.get("proof")),
                    hash(c.get("root"))));
    if (c.get("wantErr").asBoolean()) {
      verify.isInstanceOf(LogProofException.class);
      INCLUSION.rejected();
    } else {
      verify.doesNotThrowAnyException();
      INCLUSION.passed();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("consistency")
  void consistencyProof_givesTheExpectedVerdict(String name, Path file) {
    JsonNode c = Vectors.json(file);
    var verify =
        assertThatCode(
            () ->
                ConsistencyProof.verify(
                    c.get("size1").asLong(),
                    c.get("size2").asLong(),
                    hashes(c.get("proof")),
                    hash(c.get("root1")),
                    hash(c.get("root2"))));
    if (c.get("wantErr").asBoolean()) {
      verify.isInstanceOf(LogProofException.class);
      CONSISTENCY.rejected();
    } else {
      verify.doesNotThrowAnyException();
      CONSISTENCY.passed();
    }
  }

  @AfterAll
  static void printTally() {
    INCLUSION.print();
    CONSISTENCY.print();
  }

  private static Stream<Arguments> cases(String kind) {
    Path dir = Vectors.dir(SUITE).resolve("testdata").resolve(kind);
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(p -> p.toString().endsWith(".json"))
          .sorted()
          .map(p -> Arguments.of(kind + "/" + dir.relativize(p), p))
          .toList()
          .stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // Go's encoding/json decodes a missing or null []byte to nil, which must fail verification.
  private static byte[] hash(JsonNode n) {
    return n == null || n.isNull() ? null : Base64.getDecoder().decode(n.asText());
  }

  private static List<byte[]> hashes(JsonNode n) {
    List<byte[]> out = new ArrayList<>();
    if (n != null && !n.isNull()) {
      n.forEach(h -> out.add(hash(h)));
    }
    return out;
  }
}
