package dev.airseal.log.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airseal.log.Hex;
import dev.airseal.log.Rfc6962;
import dev.airseal.log.note.NoteSignatureException;
import dev.airseal.log.note.NoteSigner;
import dev.airseal.log.note.NoteSigners;
import dev.airseal.log.note.NoteVerifier;
import dev.airseal.log.note.SignedNote;
import dev.airseal.signing.soft.SoftwareSigner;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;

/** The log signs its checkpoints with an ECDSA {@link SoftwareSigner}; clients verify them. */
class SignedCheckpointRoundTripTest {
  private static final BouncyCastleProvider BC = new BouncyCastleProvider();
  private static final String ORIGIN = "airseal.example/log - 42";
  private static final String NAME = "airseal.example";

  private final SoftwareSigner signer = p256Signer();
  private final NoteSigner noteSigner = NoteSigners.ecdsa(NAME, signer);
  private final NoteVerifier verifier = NoteVerifier.fromPublicKey(NAME, signer.publicKey());
  private final Checkpoint checkpoint =
      new Checkpoint(ORIGIN, 1234, Rfc6962.sha256(new byte[] {1}), List.of("Timestamp: 1"));

  @Test
  void verify_acceptsCheckpointSignedByTheLogKey() throws Exception {
    String note = SignedNote.sign(checkpoint.body(), noteSigner);

    Checkpoint got = Checkpoints.verify(note, verifier, ORIGIN);

    assertThat(got.body()).isEqualTo(checkpoint.body());
    assertThat(got.rootHash()).isEqualTo(checkpoint.rootHash());
  }

  @Test
  void ecdsaKeyHash_isThePrefixOfTheLogId() {
    byte[] logId = Rfc6962.sha256(signer.publicKey().getEncoded());
    assertThat(noteSigner.keyHash()).isEqualTo(Arrays.copyOf(logId, 4));
    assertThat(verifier.keyHash()).isEqualTo(noteSigner.keyHash());
    assertThat(verifier.vkey())
        .startsWith(NAME + "+" + Hex.encode(Arrays.copyOf(logId, 4)) + "+Aj");
  }

  @Test
  void verifierKeyString_parsesBackToTheSameKey() throws Exception {
    String note = SignedNote.sign(checkpoint.body(), noteSigner);
    NoteVerifier parsed = NoteVerifier.parse(verifier.vkey());

    assertThat(Checkpoints.verify(note, parsed, ORIGIN).size()).isEqualTo(1234);
  }

  @Test
  void verify_rejectsTamperedText() {
    String note = SignedNote.sign(checkpoint.body(), noteSigner).replace("\n1234\n", "\n1235\n");

    assertThatThrownBy(() -> Checkpoints.verify(note, verifier, ORIGIN))
        .isInstanceOf(NoteSignatureException.class)
        .hasMessageContaining("invalid signature for key " + verifier.keyId());
  }

  @Test
  void verify_rejectsTamperedSignature() {
    String note = SignedNote.sign(checkpoint.body(), noteSigner);
    String line = note.substring(note.lastIndexOf(SignedNote.SIGNATURE_PREFIX));
    String b64 = line.substring(line.lastIndexOf(' ') + 1).trim();
    byte[] blob = Base64.getDecoder().decode(b64);
    blob[blob.length - 1] ^= 1;
    String tampered = note.replace(b64, Base64.getEncoder().encodeToString(blob));

    assertThatThrownBy(() -> Checkpoints.verify(tampered, verifier, ORIGIN))
        .isInstanceOf(NoteSignatureException.class);
  }

  @Test
  void verify_rejectsCheckpointSignedByAnotherKeyWithTheSameName() {
    String note = SignedNote.sign(checkpoint.body(), NoteSigners.ecdsa(NAME, p256Signer()));

    assertThatThrownBy(() -> Checkpoints.verify(note, verifier, ORIGIN))
        .isInstanceOf(NoteSignatureException.class)
        .hasMessageContaining("no verifiable signatures");
  }

  @Test
  void verify_rejectsAnotherLogsOrigin() {
    String note = SignedNote.sign(checkpoint.body(), noteSigner);

    assertThatThrownBy(() -> Checkpoints.verify(note, verifier, "airseal.example/log - 43"))
        .isInstanceOf(CheckpointOriginException.class);
  }

  @Test
  void ed25519_roundTrips() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519", BC);
    SoftwareSigner ed = new SoftwareSigner(g.generateKeyPair());
    String note = SignedNote.sign(checkpoint.body(), NoteSigners.forSigner(NAME, ed));
    NoteVerifier v = NoteVerifier.parse(NoteVerifier.fromPublicKey(NAME, ed.publicKey()).vkey());

    byte[] typedKey = Base64.getDecoder().decode(v.vkey().split("\\+", 3)[2]);
    assertThat(typedKey[0]).isEqualTo(NoteVerifier.TYPE_ED25519);
    assertThat(Checkpoints.verify(note, v, ORIGIN).size()).isEqualTo(1234);
  }

  static SoftwareSigner p256Signer() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BC);
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return new SoftwareSigner(g.generateKeyPair());
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
