package dev.airseal.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String canon(String json) throws Exception {
    return new String(CanonicalJson.encode(JSON.readTree(json)), StandardCharsets.UTF_8);
  }

  @Test
  void encode_sortsMembersAndDropsWhitespace() throws Exception {
    assertThat(canon("{ \"b\" : [1, {\"d\":true, \"c\":null}], \"a\":\"x\" }"))
        .isEqualTo("{\"a\":\"x\",\"b\":[1,{\"c\":null,\"d\":true}]}");
  }

  // RFC 8785 section 3.2.3: sorting is by UTF-16 code units, so U+1F600 (a surrogate pair
  // starting 0xD83D) sorts before U+FB33, unlike a sort by code points.
  @Test
  void encode_sortsByUtf16CodeUnits() throws Exception {
    String in =
        "{\"\\u20ac\":\"Euro Sign\",\"\\r\":\"Carriage Return\",\"\\ufb33\":\"Hebrew Letter Dalet"
            + " With Dagesh\",\"1\":\"One\",\"\\ud83d\\ude00\":\"Emoji: Grinning Face\","
            + "\"\\u0080\":\"Control\",\"\\u00f6\":\"Latin Small Letter O With Diaeresis\"}";
    assertThat(canon(in))
        .isEqualTo(
            "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\",\"\u00f6\":\"Latin Small"
                + " Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\",\"\ud83d\ude00\":\"Emoji:"
                + " Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}");
  }

  // RFC 8785 section 3.2.2.2 example.
  @Test
  void encode_escapesOnlyWhatJsonStringifyEscapes() throws Exception {
    String in = "[\"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\", \"\\u2028\\u007f\\u001f\\b\\t\\f\\r\"]";
    assertThat(canon(in))
        .isEqualTo("[\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\",\"\u2028\u007f\\u001f\\b\\t\\f\\r\"]");
  }

  @Test
  void encode_writesUtf8() throws Exception {
    assertThat(CanonicalJson.encode(JSON.readTree("\"é\"")))
        .containsExactly('"', 0xc3 - 256, 0xa9 - 256, '"');
  }

  @Test
  void encode_escapesAndPairsAfterAPlainRun() throws Exception {
    // The plain run is copied whole; what follows it is still escaped, and pairs pass through.
    var n = JsonNodeFactory.instance.objectNode().put("k\u0001", "abc\"d\\e\n\ud83d\ude00f\u001f");
    assertThat(new String(CanonicalJson.encode(n), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("{\"k\\u0001\":\"abc\\\"d\\\\e\\n\ud83d\ude00f\\u001f\"}");
  }

  @Test
  void encode_refusesUnpairedSurrogatesAnywhere() {
    for (String bad : new String[] {"\udc00", "plain\udc00", "plain\ud800", "x\ud800y"}) {
      assertThatThrownBy(() -> CanonicalJson.encode(JsonNodeFactory.instance.textNode(bad)))
          .hasMessageContaining("unpaired surrogate");
      assertThatThrownBy(() -> CanonicalJson.encode(JsonNodeFactory.instance.objectNode().put(bad, 1)))
          .hasMessageContaining("unpaired surrogate");
    }
  }

  @Test
  void encode_refusesUnpairedSurrogate() {
    assertThatThrownBy(() -> CanonicalJson.encode(JsonNodeFactory.instance.textNode("a\ud800")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unpaired surrogate");
  }

  // RFC 8785 appendix B and section 3.2.2.3 examples, plus ECMAScript boundaries.
  @ParameterizedTest
  @CsvSource({
    "333333333.33333329, 333333333.3333333",
    "1E30, 1e+30",
    "4.50, 4.5",
    "2e-3, 0.002",
    "0.000000000000000000000000001, 1e-27",
    "-0, 0",
    "0.0, 0",
    "1e21, 1e+21",
    "1e20, 100000000000000000000",
    "123456789012345680000, 123456789012345680000",
    "0.000001, 0.000001",
    "0.0000001, 1e-7",
    "5e-324, 5e-324",
    "1.7976931348623157e308, 1.7976931348623157e+308",
    "9007199254740992, 9007199254740992",
    "9007199254740993, 9007199254740992",
    "-1.5, -1.5",
    "0.1, 0.1",
    "2.0E-7, 2e-7",
    "1.0E23, 1e+23",
    "295147905179352830000, 295147905179352830000",
  })
  void encode_formatsNumbersAsEcmaScript(String in, String want) throws Exception {
    assertThat(canon(in)).isEqualTo(want);
  }

  @Test
  void encode_refusesNonFiniteNumbers() {
    assertThatThrownBy(() -> CanonicalJson.encode(JsonNodeFactory.instance.numberNode(Double.NaN)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
