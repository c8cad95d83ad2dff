package dev.airseal.log.note;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** C2SP signed notes: text, a blank line, one signature line per signer. */
// SPEC: https://c2sp.org/signed-note
public final class SignedNote {
  /** U+2014 EM DASH followed by a space opens every signature line. */
  public static final String SIGNATURE_PREFIX = "\u2014 ";

  private SignedNote() {}

  /** Signs {@code text} (which must end in a newline) with each signer, in order. */
  public static String sign(String text, NoteSigner... signers) {
    if (text.isEmpty() || !text.endsWith("\n")) {
      throw new IllegalArgumentException("note text must end with a newline");
    }
    byte[] msg = text.getBytes(StandardCharsets.UTF_8);
    StringBuilder sb = new StringBuilder(text).append('\n');
    for (NoteSigner s : signers) {
      byte[] sig = s.sign(msg);
      byte[] hint = s.keyHash();
      byte[] blob = new byte[hint.length + sig.length];
      System.arraycopy(hint, 0, blob, 0, hint.length);
      System.arraycopy(sig, 0, blob, hint.length, sig.length);
      sb.append(SIGNATURE_PREFIX)
          .append(s.name())
          .append(' ')
          .append(Base64.getEncoder().encodeToString(blob))
          .append('\n');
    }
    return sb.toString();
  }
}
