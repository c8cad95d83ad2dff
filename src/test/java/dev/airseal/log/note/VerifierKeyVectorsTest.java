package dev.airseal.log.note;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airseal.log.Hex;
import dev.airseal.signing.soft.SoftwareSigner;
import dev.airseal.testing.Tally;
import dev.airseal.testing.Vectors;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * signed-note/verifier-keys.json: every vkey parses or is rejected as listed. The Go signer keys
 * (skey, an Ed25519 seed) check our Ed25519 key hash and signer: the derived key must give the
 * listed vkey, and signing the Go test note must reproduce it byte for byte (Ed25519 is
 * deterministic). We do not parse skey strings in production; the appliance signs through {@link
 * dev.airseal.signing.Signer}.
 */
class VerifierKeyVectorsTest {
  private static final Tally VKEYS = new Tally(SignedNoteVectorsTest.SUITE + " verifier keys");
  private static final Tally SKEYS = new Tally(SignedNoteVectorsTest.SUITE + " signer keys");
  private static final BouncyCastleProvider BC = new BouncyCastleProvider();

  static Stream<Arguments> verifierKeys() {
    return keys().filter(c -> !c.has("skey")).map(c -> Arguments.of(c.get("vkey").asText(), c));
  }

  static Stream<Arguments> signerKeys() {
    return keys().filter(c -> c.has("skey")).map(c -> Arguments.of(c.get("skey").asText(), c));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("verifierKeys")
  void verifierKey_parsesOrIsRejectedAsListed(String vkey, JsonNode c) throws Exception {
    if (c.get("expected").asText().startsWith("valid")) {
      NoteVerifier v = NoteVerifier.parse(vkey);
      assertThat(v.vkey()).isEqualTo(vkey);
      VKEYS.passed();
    } else {
      assertThatThrownBy(() -> NoteVerifier.parse(vkey))
          .as(c.path("why").asText())
          .isInstanceOf(NoteFormatException.class);
      VKEYS.rejected();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("signerKeys")
  void signerKey_derivesTheListedVerifierKey(String skey, JsonNode c) throws Exception {
    String[] parts = skey.split("\\+", 5); // PRIVATE+KEY+<name>+<hash>+<base64(0x01 || seed)>
    String name = parts[2];
    byte[] typed = Base64.getDecoder().decode(parts[4]);
    assertThat(typed[0]).isEqualTo(NoteVerifier.TYPE_ED25519);
    SoftwareSigner signer = new SoftwareSigner(ed25519KeyPair(Arrays.copyOfRange(typed, 1, 33)));

    NoteSigner noteSigner = NoteSigners.ed25519(name, signer);
    assertThat(Hex.encode(noteSigner.keyHash())).isEqualTo(parts[3]);
    String vkey = NoteVerifier.fromPublicKey(name, signer.publicKey()).vkey();
    assertThat(vkey).isEqualTo(c.has("vkey") ? c.get("vkey").asText() : listedVkey(name));

    if (name.equals("PeterNeumann")) {
      String goNote =
          Vectors.text(
              Vectors.dir(SignedNoteVectorsTest.SUITE).resolve("notes/gomod-peterneumann.txt"));
      String text = SignedNote.parse(goNote).text();
      assertThat(SignedNote.sign(text, noteSigner)).isEqualTo(goNote);
    }
    SKEYS.passed();
  }

  @AfterAll
  static void printTally() {
    VKEYS.print();
    SKEYS.print();
  }

  private static Stream<JsonNode> keys() {
    JsonNode cases =
        Vectors.json(Vectors.dir(SignedNoteVectorsTest.SUITE).resolve("verifier-keys.json"));
    return StreamSupport.stream(cases.get("cases").spliterator(), false);
  }

  private static String listedVkey(String name) {
    return keys()
        .filter(c -> !c.has("skey") && c.get("expected").asText().startsWith("valid"))
        .map(c -> c.get("vkey").asText())
        .filter(v -> v.startsWith(name + "+"))
        .findFirst()
        .orElseThrow();
  }

  private static KeyPair ed25519KeyPair(byte[] seed) throws Exception {
    Ed25519PrivateKeyParameters priv = new Ed25519PrivateKeyParameters(seed);
    KeyFactory kf = KeyFactory.getInstance("Ed25519", BC);
    return new KeyPair(
        kf.generatePublic(
            new X509EncodedKeySpec(
                SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(priv.generatePublicKey())
                    .getEncoded())),
        kf.generatePrivate(
            new PKCS8EncodedKeySpec(
                PrivateKeyInfoFactory.createPrivateKeyInfo(priv).getEncoded())));
  }
}
