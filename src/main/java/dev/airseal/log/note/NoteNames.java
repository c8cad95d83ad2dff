package dev.airseal.log.note;

/** Key-name rules shared by signature lines, verifier keys and signers. */
final class NoteNames {
  static final int KEY_HASH_SIZE = 4;

  private NoteNames() {}

  // SPEC: https://c2sp.org/signed-note
  // "Key names MUST be non-empty and MUST NOT contain any Unicode spaces or plus (U+002B)
  //  characters." Unicode spaces as Go's unicode.IsSpace: the White_Space property.
  static boolean isValid(String name) {
    if (name == null || name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); ) {
      int cp = name.codePointAt(i);
      if (cp == '+' || isUnicodeSpace(cp) || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return false;
      }
      i += Character.charCount(cp);
    }
    return true;
  }

  private static boolean isUnicodeSpace(int cp) {
    return (cp >= 0x09 && cp <= 0x0D) || cp == 0x85 || Character.isSpaceChar(cp);
  }
}
