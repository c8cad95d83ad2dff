package dev.airseal.signing.soft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CosignKeyFormatTest {
  private static final String PASSWORD = "correct horse";

  @TempDir Path dir;

  @Test
  void writeKeyPair_readBack_signsAndVerifies() throws Exception {
    for (KeyPair keys : new KeyPair[] {ec("secp256r1"), ec("secp384r1"), ed25519()}) {
      Path key = dir.resolve(keys.getPublic().getAlgorithm() + keys.hashCode() + ".key");
      Path pub = dir.resolve(keys.getPublic().getAlgorithm() + keys.hashCode() + ".pub");
      CosignKeyFormat.writeKeyPair(key, pub, keys, PasswordSource.of(PASSWORD));

      KeyPair read = KeyFiles.readPrivateKey(key, PasswordSource.of(PASSWORD));
      assertThat(read.getPublic().getEncoded()).isEqualTo(keys.getPublic().getEncoded());
      assertThat(Files.readString(pub)).isEqualTo(KeyFiles.publicKeyPem(keys.getPublic()));
      CosignKeyVectorsTest.assertSignsAndVerifies(read);
    }
  }

  @Test
  void writeKeyPair_writesOwnerOnlyFileInGoSecuresystemslibLayout() throws Exception {
    Path key = dir.resolve("cosign.key");
    CosignKeyFormat.writeKeyPair(
        key, dir.resolve("cosign.pub"), ec("secp256r1"), PasswordSource.of(PASSWORD));

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
    String pem = Files.readString(key);
    assertThat(pem)
        .startsWith("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n")
        .endsWith("\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n");
    assertThat(pem.lines().skip(1).takeWhile(l -> !l.startsWith("-----")))
        .allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(64));
    assertThat(body(pem))
        .matches(
            "\\{\"kdf\":\\{\"name\":\"scrypt\",\"params\":\\{\"N\":32768,\"r\":8,\"p\":1\\},"
                + "\"salt\":\"[A-Za-z0-9+/]{43}=\"\\},"
                + "\"cipher\":\\{\"name\":\"nacl/secretbox\",\"nonce\":\"[A-Za-z0-9+/]{32}\"\\},"
                + "\"ciphertext\":\"[A-Za-z0-9+/]+=*\"\\}");
  }

  @Test
  void encrypt_usesFreshSaltAndNonce() throws Exception {
    KeyPair keys = ec("secp256r1");
    String a = body(CosignKeyFormat.encrypt(keys.getPrivate(), bytes(PASSWORD)));
    String b = body(CosignKeyFormat.encrypt(keys.getPrivate(), bytes(PASSWORD)));
    assertThat(field(a, "salt")).isNotEqualTo(field(b, "salt"));
    assertThat(field(a, "nonce")).isNotEqualTo(field(b, "nonce"));
  }

  @Test
  void read_rejectsWrongPasswordClearly() throws Exception {
    Path key = written(PASSWORD);
    assertThatThrownBy(() -> KeyFiles.readPrivateKey(key, PasswordSource.of("battery staple")))
        .isInstanceOf(KeyFileException.class)
        .hasMessageStartingWith("wrong password or corrupted key file " + key)
        .hasMessageNotContaining("battery")
        .hasNoCause();
  }

  @Test
  void read_rejectsTamperedCiphertext() throws Exception {
    Path key = written(PASSWORD);
    String json = body(Files.readString(key));
    byte[] box = Base64.getDecoder().decode(field(json, "ciphertext"));
    box[box.length - 1] ^= 1;
    String tampered =
        json.replace(field(json, "ciphertext"), Base64.getEncoder().encodeToString(box));
    Files.writeString(key, pem(tampered));

    assertThatThrownBy(() -> KeyFiles.readPrivateKey(key, PasswordSource.of(PASSWORD)))
        .isInstanceOf(KeyFileException.class)
        .hasMessageStartingWith("wrong password or corrupted key file");
  }

  @Test
  void read_refusesHostileScryptCostBeforeDerivingAnything() throws Exception {
    Path key = written(PASSWORD);
    Files.writeString(
        key, pem(body(Files.readString(key)).replace("\"N\":32768", "\"N\":1073741824")));

    assertThatThrownBy(() -> KeyFiles.readPrivateKey(key, PasswordSource.of(PASSWORD)))
        .isInstanceOf(KeyFileException.class)
        .hasMessageContaining("refusing scrypt parameters")
        .hasMessageContaining("N=1073741824");
  }

  @Test
  void read_refusesOversizedFile() throws Exception {
    Path key = dir.resolve("huge.key");
    Files.write(key, new byte[65 * 1024]);
    assertThatThrownBy(() -> KeyFiles.readPrivateKey(key, PasswordSource.of(PASSWORD)))
        .isInstanceOf(KeyFileException.class)
        .hasMessageContaining("too large");
  }

  @Test
  void emptyPassword_isAPassword() throws Exception {
    Path key = written("");
    PasswordSource env = PasswordSource.cosign(Map.of("COSIGN_PASSWORD", ""), () -> null);
    CosignKeyVectorsTest.assertSignsAndVerifies(KeyFiles.readPrivateKey(key, env));
  }

  @Test
  void encryptedKey_withoutPasswordOrTerminal_asksForCosignPassword() throws Exception {
    Path key = written(PASSWORD);
    PasswordSource none = PasswordSource.cosign(Map.of(), () -> null);
    assertThatThrownBy(() -> KeyFiles.readPrivateKey(key, none))
        .isInstanceOf(KeyFileException.class)
        .hasMessageContaining("set COSIGN_PASSWORD");
  }

  @Test
  void unencryptedKey_needsNoPassword() throws Exception {
    Path key = dir.resolve("plain.pem");
    KeyPair keys = ec("secp256r1");
    Files.writeString(key, KeyFiles.toPem(keys.getPrivate()));
    PasswordSource refuse =
        confirm -> {
          throw new AssertionError("asked for a password");
        };
    assertThat(KeyFiles.readPrivateKey(key, refuse).getPublic().getEncoded())
        .isEqualTo(keys.getPublic().getEncoded());
  }

  @Test
  void writeKeyPair_refusesToOverwriteAKey() throws Exception {
    Path key = written(PASSWORD);
    String before = Files.readString(key);
    assertThatThrownBy(
            () ->
                CosignKeyFormat.writeKeyPair(
                    key, dir.resolve("other.pub"), ec("secp256r1"), PasswordSource.of("x")))
        .isInstanceOf(KeyFileException.class)
        .hasMessageContaining("already exists");
    assertThat(Files.readString(key)).isEqualTo(before);
  }

  private Path written(String password) throws Exception {
    Path key = dir.resolve("cosign.key");
    CosignKeyFormat.writeKeyPair(
        key, dir.resolve("cosign.pub"), ec("secp256r1"), PasswordSource.of(password));
    return key;
  }

  static KeyPair ec(String curve) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC", SoftwareSigner.BC);
    g.initialize(new ECGenParameterSpec(curve));
    return g.generateKeyPair();
  }

  private static KeyPair ed25519() throws Exception {
    return KeyPairGenerator.getInstance("Ed25519", SoftwareSigner.BC).generateKeyPair();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String body(String pem) {
    String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return new String(Base64.getDecoder().decode(b64), StandardCharsets.US_ASCII);
  }

  private static String pem(String json) {
    return "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(bytes(json))
        + "\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n";
  }

  private static String field(String json, String name) {
    return json.replaceAll(".*\"" + name + "\":\"([^\"]*)\".*", "$1");
  }
}
