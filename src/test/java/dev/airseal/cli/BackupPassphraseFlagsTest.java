package dev.airseal.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airseal.backup.BackupException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupPassphraseFlagsTest {

  @Test
  void read_takesTheFirstLineOfTheFile_withoutItsLineEnd(@TempDir Path tmp) throws IOException {
    BackupPassphraseFlags f = new BackupPassphraseFlags();
    f.file = Files.writeString(tmp.resolve("pass"), "long enough secret\r\nignored\n");
    assertThat(new String(f.read(true).orElseThrow())).isEqualTo("long enough secret");
  }

  @Test
  void read_refusesAShortPassphraseForANewArchive_withoutShowingIt(@TempDir Path tmp) throws IOException {
    BackupPassphraseFlags f = new BackupPassphraseFlags();
    f.file = Files.writeString(tmp.resolve("pass"), "hunter2\n");
    assertThatThrownBy(() -> f.read(true))
        .isInstanceOf(BackupException.class)
        .hasMessageContaining("has 7 characters; use at least 12")
        .hasMessageNotContaining("hunter2");
    // An existing archive is opened with whatever it was made with.
    assertThat(new String(f.read(false).orElseThrow())).isEqualTo("hunter2");
  }

  @Test
  void read_refusesAnEmptyFile_anUnsetVariable_andBothSources(@TempDir Path tmp) throws IOException {
    BackupPassphraseFlags f = new BackupPassphraseFlags();
    f.file = Files.writeString(tmp.resolve("pass"), "\n");
    assertThatThrownBy(() -> f.read(false)).hasMessageContaining("is empty");
    f.env = "AIRSEAL_TEST_NO_SUCH_VARIABLE";
    assertThatThrownBy(() -> f.read(false)).hasMessageContaining("not both");
    f.file = null;
    assertThatThrownBy(() -> f.read(false)).hasMessageContaining("AIRSEAL_TEST_NO_SUCH_VARIABLE is not set");
    assertThat(new BackupPassphraseFlags().read(true)).isEmpty();
  }
}
