package dev.airseal.signing.pkcs11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Pkcs11UriTest {
  private static final Map<String, String> NO_ENV = Map.of();

  @Test
  void parse_readsCosignStyleUri() {
    Pkcs11Uri uri =
        Pkcs11Uri.parse(
            "pkcs11:token=site;object=log-key;id=%01%02%ff;slot-id=1236431235"
                + "?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-value=1234");
    assertThat(uri.token()).contains("site");
    assertThat(uri.object()).contains("log-key");
    assertThat(uri.id()).hasValueSatisfying(id -> assertThat(id).containsExactly(1, 2, 0xff));
    assertThat(uri.slotId().getAsLong()).isEqualTo(1236431235L);
    assertThat(uri.module(NO_ENV)).isEqualTo(Path.of("/usr/lib/softhsm/libsofthsm2.so"));
    assertThat(uri.pin(NO_ENV)).containsExactly('1', '2', '3', '4');
  }

  // RFC 7512 section 3.3 examples that use only attributes Airseal honours.
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "pkcs11:object=my-pubkey;type=public | | my-pubkey",
        "pkcs11:object=my-key;type=private?pin-source=file:/etc/token | | my-key",
        "pkcs11:token=A%20name%20with%20a%20substring%20%25%3B;object=my-certificate;type=cert"
            + " | A name with a substring %; | my-certificate",
        "pkcs11:token=Name%20with%20a%20small%20A%20with%20acute:%20%C3%A1;object=my-certificate;type=cert"
            + " | Name with a small A with acute: \u00e1 | my-certificate",
        "pkcs11:object=my-sign-key;type=private?module-name=mypkcs11 | | my-sign-key",
        "pkcs11:object=my-sign-key;type=private?module-path=/mnt/libmypkcs11.so.1 | | my-sign-key",
      })
  void parse_acceptsRfc7512Examples(String text, String token, String object) {
    Pkcs11Uri uri = Pkcs11Uri.parse(text);
    assertThat(uri.token().orElse(null)).isEqualTo(token);
    assertThat(uri.object()).contains(object);
  }

  @Test
  void parse_acceptsEmptyUriAndUpperCaseScheme() {
    assertThat(Pkcs11Uri.parse("pkcs11:").object()).isEmpty();
    assertThat(Pkcs11Uri.parse("PKCS11:object=k").object()).contains("k");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        // RFC 7512 example with attributes we cannot check through SunPKCS11
        "pkcs11:token=The%20Software%20PKCS%2311%20Softtoken;manufacturer=Snake%20Oil,%20Inc.;model=1.0"
            + " | 'manufacturer' is not supported",
        "pkcs11:slot-description=Sun%20Metaslot | 'slot-description' is not supported",
        "pkcs11:token=t;object=o;vendor-aaa=value-a | 'vendor-aaa' is unknown",
        "pkcs11:object=o?vendor-bbb=value-b | 'vendor-bbb' is unknown",
        "pkcs11:object=a;object=b | 'object' appears twice",
        "pkcs11:object=a;OBJECT=b | 'object' appears twice",
        "pkcs11:object=o?module-path=/a.so&module-path=/b.so | 'module-path' appears twice",
        "pkcs11:module-path=/a.so | 'module-path' belongs in the query",
        "pkcs11:object=o?token=t | 'token' belongs in the path",
        "pkcs11:object=%zz | bad percent-escape",
        "pkcs11:object=ab%4 | bad percent-escape",
        "pkcs11:object=%C3%28 | not UTF-8",
        "pkcs11:object= | 'object' is empty",
        "pkcs11:object | is not name=value",
        "pkcs11:object=o;slot-id=-1 | not a decimal slot number",
        "pkcs11:object=o;slot-id=0x10 | not a decimal slot number",
        "pkcs11:object=o;type=secret-key | not a signing key type",
        "pkcs11:object=o?pin-value=1&pin-source=file:/p | both pin-value and pin-source",
        "pkcs11:object=o?module-path=/a.so&module-name=a | both module-path and module-name",
        "pkcs11:object=o?module-path=relative.so | not an absolute path",
        "pkcs11:object=o?module-name=/usr/lib/a.so | must be a bare name",
        "pkcs11:object=o?pin-source=https://example.com/pin | must be file:/absolute/path",
        "pkcs11-object=o | must start with pkcs11:",
      })
  void parse_rejectsWithReason(String text, String reason) {
    assertThatThrownBy(() -> Pkcs11Uri.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(reason);
  }

  @Test
  void toString_redactsPinValueAndKeepsTheRest() {
    String text = "pkcs11:token=site;object=log%20key?module-path=/usr/lib/x.so&pin-value=s3cr%65t";
    Pkcs11Uri uri = Pkcs11Uri.parse(text);
    assertThat(uri.toString())
        .isEqualTo("pkcs11:token=site;object=log%20key?module-path=/usr/lib/x.so&pin-value=REDACTED")
        .doesNotContain("s3cr");
  }

  @Test
  void errors_neverShowThePin() {
    assertThatThrownBy(() -> Pkcs11Uri.parse("pkcs11:pin-value=271828"))
        .message()
        .doesNotContain("271828");
    assertThatThrownBy(() -> Pkcs11Uri.parse("pkcs11:object=o?pin-value=2718%2"))
        .message()
        .doesNotContain("2718");
    assertThatThrownBy(() -> Pkcs11Uri.parse("pkcs11:object=o?pin-value=271828&x=1"))
        .message()
        .doesNotContain("271828");
    // The module error names the URI, redacted.
    assertThatThrownBy(() -> Pkcs11Uri.parse("pkcs11:object=o?pin-value=271828").module(NO_ENV))
        .isInstanceOf(Pkcs11Exception.class)
        .message()
        .contains("AIRSEAL_PKCS11_MODULE")
        .doesNotContain("271828");
  }

  @Test
  void pin_prefersUriThenEnvThenEnvFile(@TempDir Path dir) throws Exception {
    Path pinFile = dir.resolve("pin");
    Files.writeString(pinFile, "4321\n");
    Path envPinFile = dir.resolve("env-pin");
    Files.writeString(envPinFile, "8765\r\n");
    Map<String, String> env =
        Map.of(Pkcs11Uri.ENV_PIN, "1111", Pkcs11Uri.ENV_PIN_FILE, envPinFile.toString());

    assertThat(Pkcs11Uri.parse("pkcs11:object=o?pin-value=9999").pin(env)).containsExactly("9999".toCharArray());
    assertThat(Pkcs11Uri.parse("pkcs11:object=o?pin-source=file:" + pinFile).pin(env))
        .containsExactly("4321".toCharArray());
    assertThat(Pkcs11Uri.parse("pkcs11:object=o?pin-source=file://" + pinFile).pin(env))
        .containsExactly("4321".toCharArray());
    assertThat(Pkcs11Uri.parse("pkcs11:object=o").pin(env)).containsExactly("1111".toCharArray());
    assertThat(Pkcs11Uri.parse("pkcs11:object=o").pin(Map.of(Pkcs11Uri.ENV_PIN_FILE, envPinFile.toString())))
        .containsExactly("8765".toCharArray());
    assertThatThrownBy(() -> Pkcs11Uri.parse("pkcs11:token=t;object=o").pin(NO_ENV))
        .isInstanceOf(Pkcs11Exception.class)
        .hasMessageContaining("no PIN for pkcs11:token=t;object=o");
  }

  @Test
  void module_prefersUriThenEnv() {
    Map<String, String> env = Map.of(Pkcs11Uri.ENV_MODULE, "/opt/hsm/libcs_pkcs11_R3.so");
    assertThat(Pkcs11Uri.parse("pkcs11:object=o?module-path=/usr/lib/a.so").module(env))
        .isEqualTo(Path.of("/usr/lib/a.so"));
    assertThat(Pkcs11Uri.parse("pkcs11:object=o").module(env))
        .isEqualTo(Path.of("/opt/hsm/libcs_pkcs11_R3.so"));
    assertThatThrownBy(() -> Pkcs11Uri.parse("pkcs11:object=o?module-name=no-such-hsm").module(env))
        .isInstanceOf(Pkcs11Exception.class)
        .hasMessageContaining("module-name 'no-such-hsm' not found as [no-such-hsm.so, libno-such-hsm.so]");
  }

  @Test
  void module_findsModuleNameInLibraryDirectories() {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.isRegularFile(Path.of(SoftHsm.MODULE)), "SoftHSM2 not installed");
    assertThat(Pkcs11Uri.parse("pkcs11:object=o?module-name=softhsm2").module(NO_ENV).getFileName())
        .hasToString("libsofthsm2.so");
  }
}
