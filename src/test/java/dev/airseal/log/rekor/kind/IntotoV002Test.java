package dev.airseal.log.rekor.kind;

import static dev.airseal.log.rekor.kind.Fixtures.b64;
import static dev.airseal.log.rekor.kind.Fixtures.envelope;
import static dev.airseal.log.rekor.kind.Fixtures.pem;
import static dev.airseal.log.rekor.kind.Fixtures.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;

class IntotoV002Test {
  private static final String TYPE = "application/vnd.in-toto+json";
  private static final byte[] STATEMENT = "{\"_type\":\"x\",\"subject\":[]}".getBytes(StandardCharsets.UTF_8);

  private static String signedEnvelope(KeyPair k) throws Exception {
    return envelope(TYPE, STATEMENT, b64(sign("SHA256withECDSA", k.getPrivate(), Dsse.pae(TYPE, STATEMENT))));
  }

  @Test
  void canonicalize_dropsPayloadAndKeepsDoubleBase64Signature() throws Exception {
    KeyPair k = Fixtures.ec("secp256r1");
    String env = signedEnvelope(k);
    CanonicalEntry e = EntryTypes.canonicalize(Intotos.proposed(env, pem(k.getPublic())));

    JsonNode content = Fixtures.JSON.readTree(e.body()).get("spec").get("content");
    assertThat(content.get("envelope").has("payload")).isFalse();
    String sig = Fixtures.JSON.readTree(env).get("signatures").get(0).get("sig").textValue();
    JsonNode stored = content.get("envelope").get("signatures").get(0);
    assertThat(stored.get("sig").textValue()).isEqualTo(b64(sig));
    assertThat(stored.has("keyid")).isFalse();
    assertThat(stored.get("publicKey").textValue()).isEqualTo(b64(pem(k.getPublic())));
    assertThat(content.get("payloadHash").get("algorithm").textValue()).isEqualTo("sha256");
  }

  @Test
  void canonicalize_rejectsWrongSignature() throws Exception {
    KeyPair k = Fixtures.ec("secp256r1");
    KeyPair other = Fixtures.ec("secp256r1");
    assertThatThrownBy(() -> EntryTypes.canonicalize(Intotos.proposed(signedEnvelope(k), pem(other.getPublic()))))
        .isInstanceOf(InvalidEntryException.class)
        .hasMessageContaining("verifies none");
  }

  @Test
  void canonicalize_rejectsMissingEnvelopeHash() throws Exception {
    KeyPair k = Fixtures.ec("secp256r1");
    ObjectNode p = Intotos.proposed(signedEnvelope(k), pem(k.getPublic()));
    p.with("spec").with("content").remove("hash");
    assertThatThrownBy(() -> EntryTypes.canonicalize(p))
        .isInstanceOf(InvalidEntryException.class)
        .hasMessage("spec.content.hash is required");
  }

  @Test
  void canonicalize_rejectsShortEnvelopeHash() throws Exception {
    KeyPair k = Fixtures.ec("secp256r1");
    ObjectNode p = Intotos.proposed(signedEnvelope(k), pem(k.getPublic()));
    p.with("spec").with("content").with("hash").put("value", "abcd");
    assertThatThrownBy(() -> EntryTypes.canonicalize(p))
        .isInstanceOf(InvalidEntryException.class)
        .hasMessage("spec.content.hash.value must be 64 hex characters, got 4");
  }

  @Test
  void canonicalize_rejectsEmptyPayload() throws Exception {
    KeyPair k = Fixtures.ec("secp256r1");
    ObjectNode p = Intotos.proposed(signedEnvelope(k), pem(k.getPublic()));
    p.with("spec").with("content").with("envelope").put("payload", "");
    assertThatThrownBy(() -> EntryTypes.canonicalize(p))
        .isInstanceOf(InvalidEntryException.class)
        .hasMessage("spec.content.envelope.payload is required");
  }
}
