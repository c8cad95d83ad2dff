package dev.airseal.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.testing.Vectors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class TrustedRootTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Path py(String rel) {
    return Vectors.dir("sigstore-python").resolve("assets").resolve(rel);
  }

  private static ObjectNode production() throws Exception {
    return (ObjectNode)
        JSON.readTree(Vectors.dir("sigstore-public-good-trust").resolve("production/trusted_root.json").toFile());
  }

  @Test
  void parseAuthority_readsThreeCertificateChainWithWindow() throws Exception {
    CertificateAuthority ca =
        TrustedRoot.parseAuthority(Files.readAllBytes(py("trusted_root/certificate_authority.json")));
    assertThat(ca.chain()).hasSize(3);
    assertThat(ca.validFor().end()).isAfter(ca.validFor().start());
  }

  @Test
  void parseAuthority_refusesEmptyChain() throws Exception {
    byte[] json = Files.readAllBytes(py("trusted_root/certificate_authority.empty.json"));
    assertThatThrownBy(() -> TrustedRoot.parseAuthority(json))
        .isInstanceOf(TrustRootException.class)
        .hasMessageContaining("certChain.certificates: missing a certificate");
  }

  @Test
  void parseAuthority_refusesChainWithoutSelfSignedRoot() throws Exception {
    byte[] json = Files.readAllBytes(py("trusted_root/certificate_authority.missingroot.json"));
    assertThatThrownBy(() -> TrustedRoot.parseAuthority(json))
        .isInstanceOf(TrustRootException.class)
        .hasMessageContaining("certChain.certificates[1]")
        .hasMessageContaining("not a self-signed root");
  }

  @Test
  void parseAuthority_readsTsaCa() throws Exception {
    CertificateAuthority ca = TrustedRoot.parseAuthority(Files.readAllBytes(py("tsa/ca.json")));
    assertThat(ca.chain()).isNotEmpty();
  }

  @Test
  void parse_refusesUnknownFieldNamingItsPath() throws Exception {
    ObjectNode root = production();
    ((ObjectNode) root.get("tlogs").get(0)).put("maxEntries", 3);
    assertThatThrownBy(() -> TrustedRoot.parse(JSON.writeValueAsBytes(root)))
        .hasMessage("tlogs[0].maxEntries: unknown field");
  }

  @Test
  void parse_refusesKeyWhoseDetailsNameAnotherFamily() throws Exception {
    ObjectNode root = production();
    ((ObjectNode) root.get("tlogs").get(0).get("publicKey")).put("keyDetails", "PKIX_ED25519");
    assertThatThrownBy(() -> TrustedRoot.parse(JSON.writeValueAsBytes(root)))
        .hasMessageStartingWith("tlogs[0].publicKey.rawBytes: cannot decode PKIX_ED25519 key");
  }

  @Test
  void parse_refusesNotJson() {
    assertThatThrownBy(() -> TrustedRoot.parse("{\"mediaType\":".getBytes()))
        .isInstanceOf(TrustRootException.class)
        .hasMessageStartingWith("trusted root is not JSON");
  }

  @Test
  void parse_readsPkcs1RsaCtKeyOfStagingRoot() throws Exception {
    TrustedRoot staging =
        TrustedRoot.read(Vectors.dir("sigstore-public-good-trust").resolve("staging/trusted_root.json"));
    CtLog rsa = staging.ctlogs().get(0);
    assertThat(rsa.keyDetails()).isEqualTo("PKCS1_RSA_PKCS1V5");
    assertThat(rsa.publicKey().getAlgorithm()).isEqualTo("RSA");
  }

  @Test
  void v02_checkpointKeyIdAndOperator_roundTripAndDriveLookup() throws Exception {
    ObjectNode root = production();
    root.put("mediaType", TrustedRoot.MEDIA_TYPE_V02);
    ObjectNode v2 = (ObjectNode) root.get("tlogs").get(1);
    byte[] checkpointKeyId = {1, 2, 3, 4};
    v2.putObject("checkpointKeyId").put("keyId", Base64.getEncoder().encodeToString(checkpointKeyId));
    v2.put("operator", "sigstore.dev");
    TrustedRoot parsed = TrustedRoot.parse(JSON.writeValueAsBytes(root));

    TlogInstance log = parsed.tlogs().get(1);
    assertThat(log.operator()).isEqualTo("sigstore.dev");
    assertThat(parsed.tlogByCheckpointKeyId(checkpointKeyId)).contains(log);
    // With a checkpoint key ID set, the log ID no longer names the checkpoint key.
    assertThat(parsed.tlogByCheckpointKeyId(log.logId())).isEmpty();
    assertThat(parsed.tlogByLogId(log.logId())).contains(log);
    assertThat(TrustedRoot.parse(parsed.toJson())).isEqualTo(parsed);
  }

  @Test
  void tlogByCheckpointKeyId_fallsBackToLogId() throws Exception {
    TrustedRoot root = TrustedRoot.parse(JSON.writeValueAsBytes(production()));
    TlogInstance v2 = root.tlogs().get(1);
    assertThat(root.tlogByCheckpointKeyId(v2.logId())).contains(v2);
    assertThat(root.tlogByLogId(new byte[32])).isEmpty();
    assertThat(root.ctlogByLogId(root.ctlogs().get(1).logId())).contains(root.ctlogs().get(1));
  }

  @Test
  void validFor_isInclusiveAtBothEnds() {
    Instant start = Instant.parse("2022-01-01T00:00:00Z");
    Instant end = Instant.parse("2022-12-31T23:59:59.999Z");
    ValidFor v = new ValidFor(start, end);
    assertThat(v.contains(start)).isTrue();
    assertThat(v.contains(end)).isTrue();
    assertThat(v.contains(end.plusNanos(1))).isFalse();
    assertThat(v.contains(start.minusNanos(1))).isFalse();
    assertThat(ValidFor.from(start).contains(Instant.MAX)).isTrue();
  }

  @Test
  void validFor_refusesMissingStartAndReversedWindow() {
    assertThatThrownBy(() -> new ValidFor(null, null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new ValidFor(Instant.EPOCH.plusSeconds(1), Instant.EPOCH))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
