package dev.airseal.log.note;

import dev.airseal.log.StrictBase64;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Arrays;

/**
 * Type 0x05: the note signature is an RFC 6962 TreeHeadSignature over a tree head rebuilt from the
 * checkpoint text: {@code timestamp (8) || hash alg (1) || sig alg (1) || length (2) || signature}.
 */
// SPEC: https://c2sp.org/static-ct-api (checkpoints) and RFC 6962 section 3.5.
final class Rfc6962SthCheck implements SignatureCheck {
  private static final int HASH_SHA256 = 4;
  private static final int SIG_RSA = 1;
  private static final int SIG_ECDSA = 3;

  private final String origin;
  private final PublicKey key;
  private final int sigAlg;

  Rfc6962SthCheck(String origin, PublicKey key, boolean rsa) {
    this.origin = origin;
    this.key = key;
    this.sigAlg = rsa ? SIG_RSA : SIG_ECDSA;
  }

  @Override
  public void check(byte[] text, byte[] signature) throws NoteSignatureException {
    ByteBuffer sig = ByteBuffer.wrap(signature);
    if (sig.remaining() < 12) {
      throw new NoteSignatureException(
          "RFC 6962 note signature has only " + signature.length + " bytes");
    }
    long timestamp = sig.getLong();
    int hashAlg = sig.get() & 0xff;
    int alg = sig.get() & 0xff;
    int len = sig.getShort() & 0xffff;
    if (hashAlg != HASH_SHA256 || alg != sigAlg || len != sig.remaining()) {
      throw new NoteSignatureException(
          "RFC 6962 signature has hash "
              + hashAlg
              + ", algorithm "
              + alg
              + ", length "
              + len
              + "; want hash 4, algorithm "
              + sigAlg
              + ", length "
              + sig.remaining());
    }
    byte[] der = Arrays.copyOfRange(signature, sig.position(), signature.length);
    String javaAlg = sigAlg == SIG_RSA ? "SHA256withRSA" : "SHA256withECDSA";
    if (!EcdsaCheck.verify(key, javaAlg, treeHeadInput(timestamp, text), der)) {
      throw new NoteSignatureException("RFC 6962 tree head signature does not verify");
    }
  }

  /** RFC 6962 TreeHeadSignature: version v1, signature_type tree_hash, timestamp, size, root. */
  private byte[] treeHeadInput(long timestamp, byte[] text) throws NoteSignatureException {
    // The signature covers only size and root, so any other text would be unauthenticated.
    String[] lines = new String(text, StandardCharsets.UTF_8).split("\n", -1);
    if (lines.length != 4 || !lines[3].isEmpty()) {
      throw new NoteSignatureException("RFC 6962 checkpoint must be exactly three lines");
    }
    if (!lines[0].equals(origin)) {
      throw new NoteSignatureException(
          "RFC 6962 checkpoint origin \"" + lines[0] + "\" is not the key name \"" + origin + "\"");
    }
    // The signature covers the number, not its spelling: only the canonical spelling is accepted.
    if (!lines[1].matches("0|[1-9][0-9]{0,19}")) {
      throw new NoteSignatureException(
          "RFC 6962 checkpoint size \"" + lines[1] + "\" is malformed");
    }
    long size;
    byte[] root;
    try {
      size = Long.parseUnsignedLong(lines[1]);
      root = StrictBase64.decode(lines[2]);
    } catch (IllegalArgumentException e) {
      throw new NoteSignatureException("RFC 6962 checkpoint is malformed: " + e.getMessage(), e);
    }
    if (root.length != 32) {
      throw new NoteSignatureException("RFC 6962 root hash has " + root.length + " bytes");
    }
    return ByteBuffer.allocate(50)
        .put((byte) 0)
        .put((byte) 1)
        .putLong(timestamp)
        .putLong(size)
        .put(root)
        .array();
  }
}
