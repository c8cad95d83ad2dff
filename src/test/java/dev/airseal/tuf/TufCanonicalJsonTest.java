package dev.airseal.tuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airseal.testing.Tally;
import dev.airseal.testing.TrustedRoots;
import dev.airseal.testing.Vectors;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Signature;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Our canonical form against signatures real TUF repositories made (Sigstore's production and
 * staging roots, signed with securesystemslib/tuf-on-ci; staging's snapshot, timestamp, targets):
 * every signature verifies over the bytes we compute, PEM newlines included.
 */
class TufCanonicalJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Tally TALLY = new Tally("tuf canonical json (sigstore roots, staging-tuf)");

  record Case(String name, JsonNode doc, JsonNode root) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    Path trust = Vectors.dir("sigstore-public-good-trust");
    Path staging = Vectors.dir("sigstore-python").resolve("assets/staging-tuf");
    JsonNode stagingRoot = Vectors.json(trust.resolve("staging/root.json"));
    JsonNode prodRoot = Vectors.json(trust.resolve("production/root.json"));
    List<Case> out = new ArrayList<>();
    out.add(new Case("production/root.json", prodRoot, prodRoot));
    out.add(new Case("staging/root.json", stagingRoot, stagingRoot));
    for (String f : List.of("16.snapshot.json", "17.targets.json", "timestamp.json")) {
      out.add(new Case("staging-tuf/" + f, Vectors.json(staging.resolve(f)), stagingRoot));
    }
    return out.stream();
  }

  @ParameterizedTest
  @MethodSource("cases")
  void everySignatureByAKnownKey_verifiesOverOurCanonicalBytes(Case c) throws Exception {
    byte[] canonical = TufCanonicalJson.encode(c.doc().path("signed"));
    JsonNode keys = c.root().path("signed").path("keys");
    int verified = 0;
    for (JsonNode sig : c.doc().path("signatures")) {
      JsonNode key = keys.path(sig.path("keyid").asText());
      if (key.isMissingNode() || sig.path("sig").asText().isEmpty()) {
        continue;
      }
      Signature v = Signature.getInstance("SHA256withECDSA");
      v.initVerify(TrustedRoots.parsePem(key.path("keyval").path("public").asText()));
      v.update(canonical);
      assertThat(v.verify(HexFormat.of().parseHex(sig.path("sig").asText())))
          .as("%s: signature by %s", c.name(), sig.path("keyid").asText()).isTrue();
      verified++;
    }
    assertThat(verified).as(c.name()).isPositive();
    TALLY.passed();
  }

  @Test
  void keyId_isTheSha256OfTheKeysCanonicalJson_asInTheStagingRoot() {
    JsonNode keys = Vectors.json(Vectors.dir("sigstore-public-good-trust").resolve("staging/root.json")).path("signed").path("keys");
    keys.fields().forEachRemaining(e ->
        assertThat(TufHashes.sha256Hex(TufCanonicalJson.encode(e.getValue()))).isEqualTo(e.getKey()));
  }

  @Test
  void escapesOnlyQuoteAndBackslash_sortsKeys_andRefusesFloats() throws Exception {
    JsonNode n = JSON.readTree("{\"b\":[1,\"a\\\"b\\\\c\\nd\"],\"a\":true,\"c\":null}");
    assertThat(new String(TufCanonicalJson.encode(n), StandardCharsets.UTF_8))
        .isEqualTo("{\"a\":true,\"b\":[1,\"a\\\"b\\\\c\nd\"],\"c\":null}");
    assertThatThrownBy(() -> TufCanonicalJson.encode(JSON.readTree("{\"x\":1.5}")))
        .hasMessageContaining("integers only");
    assertThatThrownBy(() -> TufCanonicalJson.encode(JSON.readTree("{\"x\":\"a\\tb\"}")))
        .hasMessageContaining("U+0009");
  }

  @AfterAll
  static void tally() {
    TALLY.print();
  }
}
