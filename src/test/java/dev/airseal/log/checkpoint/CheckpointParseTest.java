package dev.airseal.log.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CheckpointParseTest {
  private static final String ROOT = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=";

  @Test
  void parse_readsOriginSizeRootAndExtensions() throws Exception {
    Checkpoint cp = Checkpoint.parse("example.com/log\n0\n" + ROOT + "\next one\n");

    assertThat(cp.origin()).isEqualTo("example.com/log");
    assertThat(cp.size()).isZero();
    assertThat(cp.extensions()).containsExactly("ext one");
    assertThat(cp.body()).isEqualTo("example.com/log\n0\n" + ROOT + "\next one\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"01", "+1", "-1", "1 ", "0x10", "", "9223372036854775808", "1e3"})
  void parse_rejectsMalformedSize(String size) {
    assertThatThrownBy(() -> Checkpoint.parse("o\n" + size + "\n" + ROOT + "\n"))
        .isInstanceOf(CheckpointFormatException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I", // unpadded
        "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxqw==", // 31 bytes
        "not base64!"
      })
  void parse_rejectsMalformedRootHash(String root) {
    assertThatThrownBy(() -> Checkpoint.parse("o\n1\n" + root + "\n"))
        .isInstanceOf(CheckpointFormatException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"\n1\nROOT\n", "o\n1\nROOT", "o\n1\n", "o\n1\nROOT\n\next\n"})
  void parse_rejectsMissingOrEmptyLines(String body) {
    assertThatThrownBy(() -> Checkpoint.parse(body.replace("ROOT", ROOT)))
        .isInstanceOf(CheckpointFormatException.class);
  }
}
