package dev.airseal.log.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airseal.log.note.NoteFormatException;
import dev.airseal.log.note.NoteVerifier;
import dev.airseal.log.note.SignedNote;
import dev.airseal.testing.Tally;
import dev.airseal.testing.Vectors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * sigstore-java samples/checkpoints: real rekor.sigstore.dev checkpoints. {@code valid*.txt} must
 * parse and verify with the production Rekor key; {@code error_*.txt} must be rejected by the
 * parsers, before any key is involved.
 */
class RekorCheckpointVectorsTest {
  private static final String SUITE = "sigstore-java";
  private static final Tally TALLY = new Tally(SUITE + " checkpoints");

  /** rekor.sigstore.dev production key (log ID c0d23d6a…), as in signed-note/verifier-keys.json. */
  private static final String REKOR_VKEY =
      "rekor.sigstore.dev+c0d23d6a+AjBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABNhtmPtrWm3U1eQXBogSMdGvXwBc"
          + "K5AW5i0hrZLOC96l+smGNM7nwZ4QvFK/4sueRoVj//QP22Ni4Qt9DPfkWLc=";

  private static final String REKOR_ORIGIN = "rekor.sigstore.dev - 2605736670972794746";

  static Stream<Arguments> checkpoints() {
    Path dir = Vectors.dir(SUITE).resolve("resources/samples/checkpoints");
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().map(p -> Arguments.of(p.getFileName().toString(), p)).toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("checkpoints")
  void checkpoint_parsesOrIsRejected(String name, Path file) throws Exception {
    String note = Vectors.text(file);
    if (name.startsWith("valid")) {
      Checkpoint cp = Checkpoint.parse(SignedNote.parse(note).text());
      assertThat(cp.origin()).isEqualTo(REKOR_ORIGIN);
      assertThat(cp.size()).isEqualTo(37795272L);
      assertThat(cp.extensions()).containsExactly("Timestamp: 1697034484441201852");
      // Rekor v1: the key name is the hostname, the origin adds the tree ID.
      Checkpoint verified = Checkpoints.verify(note, NoteVerifier.parse(REKOR_VKEY), REKOR_ORIGIN);
      assertThat(verified.rootHash()).isEqualTo(cp.rootHash());
      TALLY.passed();
    } else if (name.startsWith("error_")) {
      assertThatThrownBy(() -> Checkpoint.parse(SignedNote.parse(note).text()))
          .isInstanceOf(NoteFormatException.class);
      TALLY.rejected();
    } else {
      throw new IllegalStateException("file named neither valid* nor error_*: " + name);
    }
  }

  @AfterAll
  static void printTally() {
    TALLY.print();
  }
}
