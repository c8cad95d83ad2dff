package dev.airseal.log.note;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airseal.log.Hex;
import dev.airseal.log.Rfc6962;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;

/** Type 0x05: a static-CT checkpoint whose note signature is an RFC 6962 TreeHeadSignature. */
class Rfc6962NoteVerifierTest {
  private static final BouncyCastleProvider BC = new BouncyCastleProvider();
  private static final String NAME = "ct.example.com/2025h1";
  private static final byte[] ROOT = Rfc6962.sha256(new byte[] {7});

  private final KeyPair keys = p256();
  private final byte[] der = keys.getPublic().getEncoded();

  @Test
  void open_acceptsTreeHeadSignatureOverTheCheckpoint() throws Exception {
    String text = NAME + "\n10\n" + Base64.getEncoder().encodeToString(ROOT) + "\n";

    VerifiedNote n = SignedNote.open(note(text, 10), List.of(NoteVerifier.parse(vkey())));

    assertThat(n.verified()).hasSize(1);
  }

  @Test
  void open_rejectsCheckpointWhoseSizeDiffersFromTheSignedOne() throws Exception {
    String text = NAME + "\n11\n" + Base64.getEncoder().encodeToString(ROOT) + "\n";

    assertThatThrownBy(() -> SignedNote.open(note(text, 10), List.of(NoteVerifier.parse(vkey()))))
        .isInstanceOf(NoteSignatureException.class);
  }

  @Test
  void open_rejectsExtensionLinesTheSignatureCannotCover() throws Exception {
    String text = NAME + "\n10\n" + Base64.getEncoder().encodeToString(ROOT) + "\nextra\n";

    assertThatThrownBy(() -> SignedNote.open(note(text, 10), List.of(NoteVerifier.parse(vkey()))))
        .isInstanceOf(NoteSignatureException.class)
        .hasMessageContaining("three lines");
  }

  private String vkey() {
    return NAME + "+" + Hex.encode(keyHash()) + "+" + Base64.getEncoder().encodeToString(typed());
  }

  private byte[] typed() {
    byte[] t = new byte[der.length + 1];
    t[0] = 0x05;
    System.arraycopy(der, 0, t, 1, der.length);
    return t;
  }

  private byte[] keyHash() {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes((NAME + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    b.write(0x05);
    b.writeBytes(Rfc6962.sha256(der));
    return Arrays.copyOf(Rfc6962.sha256(b.toByteArray()), 4);
  }

  private String note(String text, long signedSize) throws Exception {
    long timestamp = 1_700_000_000_000L;
    byte[] sth =
        ByteBuffer.allocate(50)
            .put((byte) 0)
            .put((byte) 1)
            .putLong(timestamp)
            .putLong(signedSize)
            .put(ROOT)
            .array();
    Signature s = Signature.getInstance("SHA256withECDSA", BC);
    s.initSign(keys.getPrivate());
    s.update(sth);
    byte[] sig = s.sign();
    byte[] blob =
        ByteBuffer.allocate(4 + 8 + 4 + sig.length)
            .put(keyHash())
            .putLong(timestamp)
            .put((byte) 4)
            .put((byte) 3)
            .putShort((short) sig.length)
            .put(sig)
            .array();
    return text + "\n\u2014 " + NAME + " " + Base64.getEncoder().encodeToString(blob) + "\n";
  }

  private static KeyPair p256() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BC);
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
