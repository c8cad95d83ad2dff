package dev.airseal.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airseal.testing.Tally;
import dev.airseal.testing.Vectors;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * transparency-dev/merkle's 8-leaf reference tree and RFC 6962 hasher vectors: our hashing and
 * {@link ProofBuilder} must reproduce every published node and root, and every proof we build over
 * the tree must verify.
 */
class Rfc6962ReferenceTreeTest {
  private static final String SUITE = "transparency-dev-merkle";
  private static final Tally TREE = new Tally(SUITE + " reference tree");
  private static final Tally HASHER = new Tally(SUITE + " hasher");
  private static final int LEAVES = 8;

  private static JsonNode tree;
  private static ProofBuilder builder;

  @BeforeAll
  static void load() {
    tree = Vectors.json(Vectors.dir(SUITE).resolve("rfc6962-reference-tree.json"));
    JsonNode levels = tree.get("nodeHashesByLevel");
    builder =
        new ProofBuilder((level, index) -> Hex.decode(levels.get(level).get((int) index).asText()));
  }

  @Test
  void leafHashes_matchThePublishedLevelZeroNodes() {
    for (int i = 0; i < LEAVES; i++) {
      byte[] leaf = Hex.decode(tree.get("leafInputsHex").get(i).asText());
      assertThat(Hex.encode(Rfc6962.hashLeaf(leaf)))
          .as("leaf %d", i)
          .isEqualTo(tree.get("nodeHashesByLevel").get(0).get(i).asText());
      TREE.passed();
    }
  }

  @Test
  void roots_matchThePublishedRootForEverySize() {
    for (int size = 0; size <= LEAVES; size++) {
      assertThat(Hex.encode(builder.root(size)))
          .as("root of size %d", size)
          .isEqualTo(tree.get("rootHashesBySize").get(String.valueOf(size)).asText());
      TREE.passed();
    }
  }

  @Test
  void inclusionProofs_verifyForEveryIndexAndSize() {
    for (long size = 1; size <= LEAVES; size++) {
      for (long index = 0; index < size; index++) {
        byte[] leafHash =
            Hex.decode(tree.get("nodeHashesByLevel").get(0).get((int) index).asText());
        List<byte[]> proof = builder.inclusion(index, size);
        long s = size;
        long i = index;
        assertThatCode(() -> InclusionProof.verify(i, s, leafHash, proof, root(s)))
            .as("inclusion of %d in %d", index, size)
            .doesNotThrowAnyException();
        TREE.passed();
      }
    }
  }

  @Test
  void consistencyProofs_verifyForEveryPairOfSizes() {
    // From size 1: a consistency proof from the empty tree is rejected by definition.
    for (long size1 = 1; size1 <= LEAVES; size1++) {
      for (long size2 = size1; size2 <= LEAVES; size2++) {
        List<byte[]> proof = builder.consistency(size1, size2);
        long m = size1;
        long n = size2;
        assertThatCode(() -> ConsistencyProof.verify(m, n, proof, root(m), root(n)))
            .as("consistency %d -> %d", size1, size2)
            .doesNotThrowAnyException();
        TREE.passed();
      }
    }
  }

  @Test
  void hasher_matchesEveryPublishedVector() {
    JsonNode cases = Vectors.json(Vectors.dir(SUITE).resolve("rfc6962-hasher-vectors.json"));
    for (JsonNode c : cases.get("cases")) {
      byte[] got =
          switch (c.get("op").asText()) {
            case "emptyRoot" -> Rfc6962.emptyRoot();
            case "hashLeaf" -> Rfc6962.hashLeaf(ascii(c.get("inputAscii")));
            case "hashChildren" ->
                Rfc6962.hashChildren(ascii(c.get("leftAscii")), ascii(c.get("rightAscii")));
            default -> throw new IllegalStateException("unknown op in " + c);
          };
      assertThat(Hex.encode(got)).as(c.get("desc").asText()).isEqualTo(c.get("want").asText());
      HASHER.passed();
    }
  }

  @AfterAll
  static void printTally() {
    TREE.print();
    HASHER.print();
  }

  private static byte[] root(long size) {
    return Hex.decode(tree.get("rootHashesBySize").get(String.valueOf(size)).asText());
  }

  private static byte[] ascii(JsonNode n) {
    return n.asText().getBytes(StandardCharsets.US_ASCII);
  }
}
