package dev.airseal.log.note;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
      if (!NoteNames.isValid(s.name())) {
        throw new IllegalArgumentException("invalid signer name: \"" + s.name() + "\"");
      }
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

  /**
   * Splits a note into text and signatures without verifying anything; rejects exactly the notes
   * golang.org/x/mod/sumdb/note rejects as malformed, and notes over 1 MiB.
   */
  public static Note parse(String note) throws NoteFormatException {
    return NoteParser.parse(note);
  }

  /** As {@link #parse(String)}, for bytes that must be valid UTF-8. */
  public static Note parse(byte[] note) throws NoteFormatException {
    return NoteParser.parse(note);
  }

  /**
   * Parses {@code note} and verifies every signature made by one of {@code verifiers}.
   *
   * @throws NoteFormatException if the note is malformed
   * @throws NoteSignatureException if a known key's signature is invalid, or no known key signed
   */
  public static VerifiedNote open(String note, List<NoteVerifier> verifiers) throws NoteException {
    Note parsed = parse(note);
    Map<String, NoteVerifier> known = index(verifiers);
    List<NoteSignature> verified = new ArrayList<>();
    List<NoteSignature> unverified = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (NoteSignature sig : parsed.signatures()) {
      NoteVerifier v = known.get(sig.keyId());
      // SPEC: "Verifiers MUST ignore signatures from unknown keys, even if they share a name or
      // ID (but not both) with a known key."
      if (v == null) {
        unverified.add(sig);
        continue;
      }
      // As sumdb/note: a key's repeated signature lines are ignored after the first.
      if (!seen.add(sig.keyId())) {
        continue;
      }
      // SPEC: "If a signature from a known key fails to verify, clients SHOULD reject the whole
      // note." We do: a bad signature by a trusted key means something is wrong upstream.
      v.verify(sig.name(), sig.keyHash(), parsed.text(), sig.signature());
      verified.add(sig);
    }
    if (verified.isEmpty()) {
      throw new NoteSignatureException(
          "note has no verifiable signatures: signed by "
              + keyIds(parsed.signatures())
              + ", known keys "
              + known.keySet());
    }
    return new VerifiedNote(parsed.text(), verified, unverified);
  }

  private static Map<String, NoteVerifier> index(List<NoteVerifier> verifiers)
      throws NoteSignatureException {
    Map<String, NoteVerifier> known = new HashMap<>();
    for (NoteVerifier v : verifiers) {
      // Two keys with one name and hash cannot be told apart; refuse rather than guess.
      if (known.putIfAbsent(v.keyId(), v) != null) {
        throw new NoteSignatureException("ambiguous key " + v.keyId() + " among the verifiers");
      }
    }
    return known;
  }

  private static List<String> keyIds(List<NoteSignature> sigs) {
    return sigs.stream().map(NoteSignature::keyId).toList();
  }
}
