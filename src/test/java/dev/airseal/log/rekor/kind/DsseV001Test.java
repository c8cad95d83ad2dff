package dev.airseal.log.rekor.kind;

import static dev.airseal.log.rekor.kind.Fixtures.b64;
import static dev.airseal.log.rekor.kind.Fixtures.envelope;
import static dev.airseal.log.rekor.kind.Fixtures.pem;
import static dev.airseal.log.rekor.kind.Fixtures.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.log.Hex;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;

class DsseV001Test {
  private static final String TYPE = "application/vnd.in-toto+json";
  private static final byte[] STATEMENT =
      ("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"a\",\"digest\":"
              + "{\"sha256\":\"" + "ab".repeat(32) + "\"}}],\"predicateType\":\"x\",\"predicate\":{}}")
          .getBytes(StandardCharsets.UTF_8);

  private static String sigOver(String alg, KeyPair k) throws Exception {
    return b64(sign(alg, k.getPrivate(), Dsse.pae(TYPE, STATEMENT)));
  }

  @Test
  void canonicalize_storesHashesAndSortedSignaturesWithCanonicalKeys() throws Exception {
    KeyPair ec = Fixtures.ec("secp256r1");
    KeyPair ed = Fixtures.ed25519();
    String s1 = sigOver("SHA256withECDSA", ec);
    String s2 = sigOver("Ed25519", ed);
    String env = envelope(TYPE, STATEMENT, s1, s2);

    CanonicalEntry e = EntryTypes.canonicalize(Fixtures.dsse(env, pem(ed.getPublic()), pem(ec.getPublic())));

    JsonNode spec = Fixtures.JSON.readTree(e.body()).get("spec");
    String envHash = Hex.encode(MessageDigest.getInstance("SHA-256").digest(env.getBytes(StandardCharsets.UTF_8)));
    String payloadHash = Hex.encode(MessageDigest.getInstance("SHA-256").digest(STATEMENT));
    assertThat(spec.get("envelopeHash").get("value").textValue()).isEqualTo(envHash);
    assertThat(spec.get("payloadHash").get("value").textValue()).isEqualTo(payloadHash);
    String first = s1.compareTo(s2) < 0 ? s1 : s2;
    assertThat(spec.get("signatures").get(0).get("signature").textValue()).isEqualTo(first);
    assertThat(spec.get("signatures")).hasSize(2);
    assertThat(e.indexKeys())
        .contains("sha256:" + payloadHash, "sha256:" + envHash, "sha256:" + "ab".repeat(32));
  }

  @Test
  void canonicalize_acceptsRsaSignature() throws Exception {
    KeyPair rsa = Fixtures.rsa();
    EntryTypes.canonicalize(
        Fixtures.dsse(envelope(TYPE, STATEMENT, sigOver("SHA256withRSA", rsa)), pem(rsa.getPublic())));
  }

  @Test
  void canonicalize_rejectsSignatureOverOtherPayloadType() throws Exception {
    KeyPair ec = Fixtures.ec("secp256r1");
    String sig = sigOver("SHA256withECDSA", ec);
    assertThatThrownBy(
            () -> EntryTypes.canonicalize(Fixtures.dsse(envelope("text/plain", STATEMENT, sig), pem(ec.getPublic()))))
        .isInstanceOf(InvalidEntryException.class)
        .hasMessageContaining("verifies none");
  }

  @Test
  void canonicalize_rejectsKeyThatVerifiesNothing() throws Exception {
    KeyPair ec = Fixtures.ec("secp256r1");
    KeyPair extra = Fixtures.ec("secp256r1");
    String env = envelope(TYPE, STATEMENT, sigOver("SHA256withECDSA", ec));
    assertThatThrownBy(
            () -> EntryTypes.canonicalize(Fixtures.dsse(env, pem(ec.getPublic()), pem(extra.getPublic()))))
        .isInstanceOf(InvalidEntryException.class)
        .hasMessageContaining("key 1 (ECDSA) verifies none");
  }

  @Test
  void canonicalize_rejectsEnvelopeWithoutSignatures() throws Exception {
    KeyPair ec = Fixtures.ec("secp256r1");
    assertThatThrownBy(() -> EntryTypes.canonicalize(Fixtures.dsse(envelope(TYPE, STATEMENT), pem(ec.getPublic()))))
        .isInstanceOf(InvalidEntryException.class)
        .hasMessageContaining("no signature found");
  }

  @Test
  void canonicalize_rejectsEnvelopeThatIsNotJson() throws Exception {
    KeyPair ec = Fixtures.ec("secp256r1");
    assertThatThrownBy(() -> EntryTypes.canonicalize(Fixtures.dsse("{nope", pem(ec.getPublic()))))
        .isInstanceOf(InvalidEntryException.class)
        .hasMessageStartingWith("spec.proposedContent.envelope is not valid JSON");
  }

  @Test
  void canonicalize_rejectsMissingVerifiers() throws Exception {
    KeyPair ec = Fixtures.ec("secp256r1");
    ObjectNode p = Fixtures.dsse(envelope(TYPE, STATEMENT, sigOver("SHA256withECDSA", ec)));
    assertThatThrownBy(() -> EntryTypes.canonicalize(p))
        .isInstanceOf(InvalidEntryException.class)
        .hasMessage("spec.proposedContent.verifiers is required");
  }

  @Test
  void canonicalize_rejectsClientSuppliedServerFields() throws Exception {
    KeyPair ec = Fixtures.ec("secp256r1");
    ObjectNode p = Fixtures.dsse(envelope(TYPE, STATEMENT, sigOver("SHA256withECDSA", ec)), pem(ec.getPublic()));
    p.with("spec").putObject("payloadHash").put("algorithm", "sha256").put("value", "00");
    assertThatThrownBy(() -> EntryTypes.canonicalize(p))
        .isInstanceOf(InvalidEntryException.class)
        .hasMessage("spec.payloadHash is computed by the log and must not be sent");
  }
}
