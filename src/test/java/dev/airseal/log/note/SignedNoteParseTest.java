package dev.airseal.log.note;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The malformed-note rules of golang.org/x/mod/sumdb/note that the vectors do not reach. */
class SignedNoteParseTest {
  private static final String TEXT = "hello\n";
  private static final String SIG = Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4, 5});

  private static String line(String name) {
    return "\u2014 " + name + " " + SIG + "\n";
  }

  @Test
  void parse_keepsBlankLinesInsideTheText() throws Exception {
    Note n = SignedNote.parse("a\n\nb\n\n" + line("k"));

    assertThat(n.text()).isEqualTo("a\n\nb\n");
    assertThat(n.signatures().get(0).keyHash()).containsExactly(1, 2, 3, 4);
    assertThat(n.signatures().get(0).signature()).containsExactly(5);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Bad\u00a0Name", "bad+name", "bad\u2003name", ""})
  void parse_rejectsInvalidKeyName(String name) {
    assertThatThrownBy(() -> SignedNote.parse(TEXT + "\n" + line(name)))
        .isInstanceOf(NoteFormatException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"AQIDBAU", "AQIDBA==", "AQID BAU=", ""})
  void parse_rejectsUnpaddedShortOrInvalidBase64(String b64) {
    assertThatThrownBy(() -> SignedNote.parse(TEXT + "\n\u2014 k " + b64 + "\n"))
        .isInstanceOf(NoteFormatException.class);
  }

  @Test
  void parse_rejectsControlCharacters() {
    assertThatThrownBy(() -> SignedNote.parse("a\tb\n\n" + line("k")))
        .isInstanceOf(NoteFormatException.class)
        .hasMessageContaining("U+0009");
    assertThatThrownBy(() -> SignedNote.parse("a\r\n\n" + line("k")))
        .isInstanceOf(NoteFormatException.class);
  }

  @Test
  void parse_rejectsInvalidUtf8() {
    byte[] note = (TEXT + "\n" + line("k")).getBytes(StandardCharsets.UTF_8);
    note[0] = (byte) 0xff;

    assertThatThrownBy(() -> SignedNote.parse(note)).isInstanceOf(NoteFormatException.class);
  }

  @Test
  void parse_acceptsOneHundredSignaturesButNotMore() {
    String hundred = TEXT + "\n" + line("k").repeat(100);

    assertThatCode(() -> SignedNote.parse(hundred)).doesNotThrowAnyException();
    assertThatThrownBy(() -> SignedNote.parse(hundred + line("k")))
        .isInstanceOf(NoteFormatException.class)
        .hasMessageContaining("more than 100");
  }

  @Test
  void parse_rejectsNotesOverOneMebibyte() {
    String big = "x".repeat(NoteParser.MAX_NOTE_BYTES) + "\n\n" + line("k");

    assertThatThrownBy(() -> SignedNote.parse(big)).isInstanceOf(NoteFormatException.class);
  }

  @Test
  void parse_splitsAtTheLastBlankLine_likeSumdbNote() throws Exception {
    // An earlier "signature" block is note text, covered by the later signatures.
    Note n = SignedNote.parse(TEXT + "\n" + line("a") + "\n" + line("b"));

    assertThat(n.text()).isEqualTo(TEXT + "\n" + line("a"));
    assertThat(n.signatures()).extracting(NoteSignature::name).containsExactly("b");
  }

  @Test
  void open_failsClosedOnAmbiguousVerifiers() throws Exception {
    NoteVerifier v =
        NoteVerifier.parse("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW");

    assertThatThrownBy(() -> SignedNote.open(TEXT + "\n" + line("k"), java.util.List.of(v, v)))
        .isInstanceOf(NoteSignatureException.class)
        .hasMessageContaining("ambiguous");
  }
}
