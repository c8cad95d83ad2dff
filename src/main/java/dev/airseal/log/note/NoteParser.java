package dev.airseal.log.note;

import dev.airseal.log.StrictBase64;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Splits a signed note into text and signature lines, rejecting what Go's sumdb/note rejects. */
final class NoteParser {
  /**
   * Our own bound on untrusted input, checked before any other work. The spec asks verifiers to
   * accept at least 16 signatures of up to ~5 kB (post-quantum); 1 MiB leaves ample room.
   */
  static final int MAX_NOTE_BYTES = 1 << 20;

  /** Go's sumdb/note stops after 100 signatures to bound the work spent on one note. */
  static final int MAX_SIGNATURES = 100;

  private NoteParser() {}

  static Note parse(byte[] note) throws NoteFormatException {
    if (note.length > MAX_NOTE_BYTES) {
      throw tooLarge(note.length);
    }
    try {
      String s =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(note))
              .toString();
      return parse(s);
    } catch (CharacterCodingException e) {
      throw new NoteFormatException("malformed note: not valid UTF-8", e);
    }
  }

  static Note parse(String note) throws NoteFormatException {
    // A UTF-16 char never encodes to more than 3 UTF-8 bytes; check the cheap bound first.
    if ((long) note.length() * 3 > MAX_NOTE_BYTES
        && note.getBytes(StandardCharsets.UTF_8).length > MAX_NOTE_BYTES) {
      throw tooLarge(note.getBytes(StandardCharsets.UTF_8).length);
    }
    requireNoControlCharacters(note);
    // SPEC: "the text is separated from the signatures by the last empty line in the note."
    int split = note.lastIndexOf("\n\n");
    if (split < 0) {
      throw new NoteFormatException("malformed note: no blank line before the signatures");
    }
    String text = note.substring(0, split + 1);
    String sigs = note.substring(split + 2);
    if (sigs.isEmpty()) {
      throw new NoteFormatException("malformed note: no signature lines after the blank line");
    }
    if (!sigs.endsWith("\n")) {
      throw new NoteFormatException("malformed note: last signature line has no final newline");
    }
    List<NoteSignature> out = new ArrayList<>();
    int lineNo = 0;
    for (String line : sigs.substring(0, sigs.length() - 1).split("\n", -1)) {
      lineNo++;
      if (out.size() == MAX_SIGNATURES) {
        throw new NoteFormatException(
            "malformed note: more than " + MAX_SIGNATURES + " signature lines");
      }
      out.add(signatureLine(line, lineNo));
    }
    return new Note(text, out);
  }

  private static NoteSignature signatureLine(String line, int lineNo) throws NoteFormatException {
    if (!line.startsWith(SignedNote.SIGNATURE_PREFIX)) {
      throw malformedLine(lineNo, "does not start with an em dash and a space", line);
    }
    String rest = line.substring(SignedNote.SIGNATURE_PREFIX.length());
    int space = rest.indexOf(' ');
    String name = space < 0 ? rest : rest.substring(0, space);
    String b64 = space < 0 ? "" : rest.substring(space + 1);
    if (!NoteNames.isValid(name)) {
      throw malformedLine(lineNo, "has an invalid key name", line);
    }
    byte[] blob;
    try {
      blob = StrictBase64.decode(b64);
    } catch (IllegalArgumentException e) {
      throw malformedLine(lineNo, "has invalid base64 (" + e.getMessage() + ")", line);
    }
    if (blob.length <= NoteNames.KEY_HASH_SIZE) {
      throw malformedLine(
          lineNo, "holds " + blob.length + " bytes, too few for key hash + signature", line);
    }
    return new NoteSignature(
        name,
        Arrays.copyOf(blob, NoteNames.KEY_HASH_SIZE),
        Arrays.copyOfRange(blob, NoteNames.KEY_HASH_SIZE, blob.length));
  }

  // SPEC: "Signed notes MUST be valid UTF-8 and MUST NOT contain any ASCII control characters
  // (those below U+0020) other than newline." A String holds valid UTF-8 unless it has an
  // unpaired surrogate.
  private static void requireNoControlCharacters(String note) throws NoteFormatException {
    for (int i = 0; i < note.length(); i++) {
      char c = note.charAt(i);
      if (c < 0x20 && c != '\n') {
        throw new NoteFormatException(
            String.format("malformed note: control character U+%04X at offset %d", (int) c, i));
      }
      if (Character.isHighSurrogate(c)
          && i + 1 < note.length()
          && Character.isLowSurrogate(note.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new NoteFormatException("malformed note: unpaired surrogate at offset " + i);
      }
    }
  }

  private static NoteFormatException malformedLine(int lineNo, String why, String line) {
    String shown = line.length() > 80 ? line.substring(0, 80) + "…" : line;
    return new NoteFormatException(
        "malformed note: signature line " + lineNo + " " + why + ": \"" + shown + "\"");
  }

  private static NoteFormatException tooLarge(int bytes) {
    return new NoteFormatException(
        "malformed note: " + bytes + " bytes exceeds the limit of " + MAX_NOTE_BYTES);
  }
}
