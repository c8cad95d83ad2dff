package dev.airseal.log.note;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airseal.log.checkpoint.Checkpoint;
import dev.airseal.log.checkpoint.CheckpointOriginException;
import dev.airseal.log.checkpoint.Checkpoints;
import dev.airseal.testing.Tally;
import dev.airseal.testing.Vectors;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * signed-note/cases.json: one case per note file, expected outcome "pass", "fail" or "parse-only"
 * (spec examples without a published key). Cases whose description says 'malformed note' must fail
 * as malformed, before any signature is looked at.
 */
class SignedNoteVectorsTest {
  static final String SUITE = "signed-note";
  private static final Tally TALLY = new Tally(SUITE + " notes");
  // e.g. "with expected origin 'Go rocks but I might have the wrong ID' -> fail"
  private static final Pattern WRONG_ORIGIN = Pattern.compile("expected origin '([^']*)' -> fail");

  static Stream<Arguments> cases() {
    Path dir = Vectors.dir(SUITE);
    JsonNode cases = Vectors.json(dir.resolve("cases.json")).get("cases");
    return StreamSupport.stream(cases.spliterator(), false)
        .map(c -> Arguments.of(c.get("file").asText(), c));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void note_givesTheExpectedOutcome(String file, JsonNode c) throws Exception {
    String note = Vectors.text(Vectors.dir(SUITE).resolve(file));
    String expected = c.get("expected").asText();
    if (expected.startsWith("parse-only")) {
      parseOnly(note, c);
      TALLY.checked();
    } else if (expected.startsWith("pass")) {
      passes(note, c);
      TALLY.passed();
    } else if (expected.equals("fail")) {
      NoteVerifier v = NoteVerifier.parse(c.get("verifierKey").asText());
      Class<? extends NoteException> want =
          c.get("desc").asText().contains("'malformed note'")
              ? NoteFormatException.class
              : NoteSignatureException.class;
      assertThatThrownBy(() -> SignedNote.open(note, List.of(v))).isInstanceOf(want);
      TALLY.rejected();
    } else {
      throw new IllegalStateException("unknown expected outcome: " + expected);
    }
  }

  @AfterAll
  static void printTally() {
    TALLY.print();
  }

  private static void parseOnly(String note, JsonNode c) throws Exception {
    Note parsed = SignedNote.parse(note);
    assertThat(parsed.signatures()).isNotEmpty();
    if (c.has("origin")) {
      Checkpoint cp = Checkpoint.parse(parsed.text());
      assertThat(cp.origin()).isEqualTo(c.get("origin").asText());
      assertThat(cp.size()).isEqualTo(c.get("size").asLong());
      assertThat(Base64.getEncoder().encodeToString(cp.rootHash()))
          .isEqualTo(c.get("rootHashB64").asText());
    }
  }

  private static void passes(String note, JsonNode c) throws Exception {
    NoteVerifier v = NoteVerifier.parse(c.get("verifierKey").asText());
    VerifiedNote opened = SignedNote.open(note, List.of(v));
    assertThat(opened.verified()).extracting(NoteSignature::keyId).containsExactly(v.keyId());
    if (c.has("secondVerifierKey")) {
      NoteVerifier second = NoteVerifier.parse(c.get("secondVerifierKey").asText());
      assertThat(opened.unverified())
          .extracting(NoteSignature::keyId)
          .containsExactly(second.keyId());
      VerifiedNote both = SignedNote.open(note, List.of(v, second));
      assertThat(both.verified()).hasSize(2);
      assertThat(both.unverified()).isEmpty();
    }
    if (c.has("origin")) {
      String origin = c.get("origin").asText();
      Checkpoint cp = Checkpoints.verify(note, v, origin);
      assertThat(cp.size()).isEqualTo(c.get("size").asLong());
      Matcher wrong = WRONG_ORIGIN.matcher(c.get("desc").asText());
      if (c.get("expected").asText().contains("wrong expected origin")) {
        assertThat(wrong.find()).as("wrong origin named in desc").isTrue();
        assertThatThrownBy(() -> Checkpoints.verify(note, v, wrong.group(1)))
            .isInstanceOf(CheckpointOriginException.class);
      }
    }
  }
}
