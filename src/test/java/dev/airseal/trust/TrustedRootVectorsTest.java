package dev.airseal.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.airseal.testing.Tally;
import dev.airseal.testing.Vectors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every trusted root in the vector suites: the good ones parse and round-trip through {@link
 * TrustedRoot#toJson}, the ones their suites call bad are refused.
 */
class TrustedRootVectorsTest {
  private static final Tally TALLY = new Tally("trusted roots");
  private static final ObjectMapper JSON = new ObjectMapper();

  record Case(String name, byte[] json, boolean valid) {
    @Override
    public String toString() {
      return name + (valid ? "" : " (must be rejected)");
    }
  }

  static Stream<Arguments> roots() throws IOException {
    List<Case> cases = new ArrayList<>();
    Path good = Vectors.dir("sigstore-public-good-trust");
    file(cases, good, "production/trusted_root.json", true);
    file(cases, good, "staging/trusted_root.json", true);
    Path py = Vectors.dir("sigstore-python").resolve("assets");
    file(cases, py, "trusted_root/trustedroot.v1.json", true);
    file(cases, py, "trusted_root/trustedroot.v1.local_tlog_ed25519_rekor-tiles.json", true);
    file(cases, py, "trusted_root/trustedroot.badtype.json", false);
    // ClientTrustConfig wraps a trusted root; its own mediaType is checked by the config reader,
    // the root inside must parse either way.
    embedded(cases, py, "trust_config/config.v1.json");
    embedded(cases, py, "trust_config/config.badtype.json");
    embedded(cases, py, "tsa/trust_config.json");
    file(cases, py, "staging-tuf/targets/"
        + "ed6a9cf4e7c2e3297a4b5974fce0d17132f03c63512029d7aa3a402b43acab49.trusted_root.json", true);
    Path java = Vectors.dir("sigstore-java").resolve("resources");
    try (Stream<Path> s = Files.list(java.resolve("trustroot"))) {
      for (Path p : s.filter(p -> p.getFileName().toString().contains("trusted_root")).sorted().toList()) {
        file(cases, java, java.relativize(p).toString(), true);
      }
    }
    List<String> lines = Files.readAllLines(
        java.resolve("samples/bundles/github-private-no-tlog/trusted_root.jsonl"));
    for (int i = 0; i < lines.size(); i++) {
      cases.add(new Case("sigstore-java github-private-no-tlog/trusted_root.jsonl line " + (i + 1),
          lines.get(i).getBytes(StandardCharsets.UTF_8), true));
    }
    Path go = Vectors.dir("sigstore-go");
    for (String f : List.of("pkg/testing/data/trusted-roots/public-good.json",
        "pkg/testing/data/trusted-roots/scaffolding.json",
        "pkg/testing/data/trusted-roots/public-key-validity.json",
        "examples/trusted-root-public-good.json")) {
      file(cases, go, f, true);
    }
    file(cases, Vectors.dir("cosign"), "testdata/pkg/cosign/testdata/trusted_root_pgi.json", true);
    Path conf = Vectors.dir("sigstore-conformance").resolve("assets/bundle-verify");
    try (Stream<Path> s = Files.list(conf)) {
      for (Path dir : s.sorted().toList()) {
        Path root = dir.resolve("trusted_root.json");
        if (Files.exists(root)) {
          String name = dir.getFileName().toString();
          // The one conformance case whose defect is in the root itself.
          boolean valid = !name.equals("trust-root-tlog-missing-validity-start_fail");
          file(cases, conf, name + "/trusted_root.json", valid);
        }
      }
    }
    return cases.stream().map(Arguments::of);
  }

  private static void file(List<Case> cases, Path base, String rel, boolean valid) throws IOException {
    cases.add(new Case(base.getFileName() + "/" + rel, Files.readAllBytes(base.resolve(rel)), valid));
  }

  private static void embedded(List<Case> cases, Path base, String rel) throws IOException {
    JsonNode config = JSON.readTree(base.resolve(rel).toFile());
    cases.add(new Case(base.getFileName() + "/" + rel + " #trustedRoot",
        JSON.writeValueAsBytes(config.get("trustedRoot")), true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("roots")
  void parse_matchesSuiteVerdict(Case c) throws Exception {
    if (!c.valid()) {
      assertThatThrownBy(() -> TrustedRoot.parse(c.json()))
          .isInstanceOf(TrustRootException.class)
          .satisfies(e -> System.out.println("  rejected " + c.name() + ": " + e.getMessage()));
      TALLY.rejected();
      return;
    }
    TrustedRoot root = TrustedRoot.parse(c.json());
    byte[] written = root.toJson();
    TrustedRoot again = TrustedRoot.parse(written);
    assertThat(again).isEqualTo(root);
    assertThat(again.toJson()).isEqualTo(written);
    assertThat(normalised(JSON.readTree(written))).isEqualTo(normalised(JSON.readTree(c.json())));
    TALLY.passed();
  }

  /**
   * What protobuf JSON treats as the same message: timestamps compared as instants, empty lists
   * and empty messages the same as absent ones.
   */
  private static JsonNode normalised(JsonNode in) {
    if (in.isObject()) {
      ObjectNode out = JSON.createObjectNode();
      in.fields().forEachRemaining(e -> {
        JsonNode v = normalised(e.getValue());
        if ((e.getKey().equals("start") || e.getKey().equals("end")) && v.isTextual()) {
          v = TextNode.valueOf(OffsetDateTime.parse(v.textValue()).toInstant().toString());
        }
        if (!v.isNull() && !(v.isContainerNode() && v.isEmpty())) {
          out.set(e.getKey(), v);
        }
      });
      return out;
    }
    if (in.isArray()) {
      ArrayNode out = JSON.createArrayNode();
      in.forEach(v -> out.add(normalised(v)));
      return out;
    }
    return in;
  }

  @AfterAll
  static void tally() {
    TALLY.print();
  }
}
