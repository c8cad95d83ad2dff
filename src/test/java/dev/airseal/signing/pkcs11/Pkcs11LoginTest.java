package dev.airseal.signing.pkcs11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airseal.signing.SignatureAlgorithm;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * PIN handling. A PKCS#11 login lasts for the process, so the order matters: the first test tries
 * a wrong PIN on a token nothing has logged in to yet.
 */
@ExtendWith(SoftHsm.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class Pkcs11LoginTest {
  private static final String WRONG_PIN = "987654";

  @Test
  @Order(1)
  void open_wrongPin_failsClearlyWithoutShowingThePin() {
    Pkcs11Uri uri = Pkcs11Uri.parse(SoftHsm.uriText(SoftHsm.SPARE_TOKEN, "object=k", WRONG_PIN));
    Throwable thrown = catchThrowable(() -> Pkcs11Signer.open(uri));
    assertThat(thrown)
        .isInstanceOf(Pkcs11Exception.class)
        .hasMessage("PKCS#11 login to token 'spare' failed: wrong PIN or locked token (CKR_PIN_INCORRECT)");
    StringWriter trace = new StringWriter();
    thrown.printStackTrace(new PrintWriter(trace));
    assertThat(trace.toString()).doesNotContain(WRONG_PIN);
  }

  @Test
  @Order(2)
  void open_wrongPinAfterAGoodLogin_stillFails() {
    Pkcs11Signer.generate(
        Pkcs11Uri.parse(SoftHsm.uriText(SoftHsm.SPARE_TOKEN, "object=k", SoftHsm.PIN)),
        SignatureAlgorithm.PKIX_ECDSA_P256_SHA_256);
    // The token is now logged in for this process; SunPKCS11 alone would not check this PIN.
    assertThatThrownBy(
            () -> Pkcs11Signer.open(Pkcs11Uri.parse(SoftHsm.uriText(SoftHsm.SPARE_TOKEN, "object=k", WRONG_PIN))))
        .isInstanceOf(Pkcs11Exception.class)
        .hasMessageStartingWith("PKCS#11 login to token 'spare' failed: wrong PIN or locked token")
        .message()
        .doesNotContain(WRONG_PIN);
  }

  @Test
  @Order(3)
  void open_takesModuleAndPinFromEnvironment() {
    Pkcs11Uri bare = Pkcs11Uri.parse("pkcs11:token=test;object=from-env");
    Map<String, String> env =
        Map.of(Pkcs11Uri.ENV_MODULE, SoftHsm.MODULE, Pkcs11Uri.ENV_PIN, SoftHsm.PIN);
    Pkcs11Signer made = Pkcs11Signer.generate(bare, SignatureAlgorithm.PKIX_ECDSA_P256_SHA_256, env);
    assertThat(Pkcs11Signer.open(bare, false, env).publicKey()).isEqualTo(made.publicKey());
  }

  private static Throwable catchThrowable(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    return org.assertj.core.api.Assertions.catchThrowable(call);
  }
}
