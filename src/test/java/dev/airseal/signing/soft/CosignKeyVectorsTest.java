package dev.airseal.signing.soft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airseal.testing.Tally;
import dev.airseal.testing.Vectors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Signature;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * cosign's key fixtures (pkg/cosign/keys_test.go, one file per Go constant): each loads or fails as
 * upstream's test records. A failure must be a {@link KeyFileException} naming the reason, checked
 * here by a fragment of our own message beside upstream's.
 */
class CosignKeyVectorsTest {
  static final String SUITE = "cosign";
  private static final Tally TALLY = new Tally("cosign keys");
  private static final PasswordSource HELLO = PasswordSource.of("hello");

  /** Upstream's error for each failing file, and the fragment of ours that says the same. */
  private static final Map<String, String> FAILS =
      Map.of(
          // upstream: "x509: failed to parse private key (use ParseECPrivateKey instead ...)"
          "pemcosigneckey.pem", "not a PKCS#8 private key",
          "invalidrsawithpubkey.pem",
              "unsupported PEM block \"PUBLIC KEY\"", // "unsupported private key"
          "invalidrsasmallkey.pem",
              "RSA key size 1024 not supported", // "key size not supported: 1024"
          "invalidrsalargekey.pem",
              "RSA key size 5120 not supported", // "key size not supported: 5120"
          "invalidecp224.pem", "ECDSA curve P-224 not allowed", // same words upstream
          // upstream: "error parsing ecdsa private key" (Go has no secp256k1)
          "invalidecunsupported.pem", "ECDSA curve secp256k1 not allowed",
          "invalidkey.pem", "invalid PEM block"); // same words upstream (a PGP armoured key)

  static Stream<String> keyFiles() throws IOException {
    try (Stream<Path> files = Files.list(Vectors.dir(SUITE).resolve("keys"))) {
      return files.map(p -> p.getFileName().toString()).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("keyFiles")
  void keyFile_loadsOrFailsAsUpstreamRecords(String name) throws Exception {
    Path file = Vectors.dir(SUITE).resolve("keys").resolve(name);
    String fragment = FAILS.get(name);
    if (fragment == null) {
      KeyPair keys = KeyFiles.readPrivateKey(file, HELLO);
      assertSignsAndVerifies(keys);
      TALLY.passed();
    } else {
      assertThatThrownBy(() -> KeyFiles.readPrivateKey(file, HELLO))
          .isInstanceOf(KeyFileException.class)
          .hasMessageContaining(fragment)
          .hasMessageContaining(name);
      TALLY.rejected();
    }
  }

  static void assertSignsAndVerifies(KeyPair keys) throws Exception {
    SoftwareSigner signer = new SoftwareSigner(keys);
    byte[] message = "airseal".getBytes();
    Signature v = Signature.getInstance(signer.algorithm().jcaName(), SoftwareSigner.BC);
    v.initVerify(keys.getPublic());
    v.update(message);
    assertThat(v.verify(signer.sign(message))).as("signature verifies").isTrue();
  }

  @AfterAll
  static void tally() {
    TALLY.print();
  }
}
