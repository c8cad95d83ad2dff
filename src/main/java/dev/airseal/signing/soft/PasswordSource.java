package dev.airseal.signing.soft;

import java.io.Console;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Where the password of an encrypted key file comes from. Passwords are UTF-8 bytes, as cosign (Go)
 * hands them to scrypt.
 */
@FunctionalInterface
public interface PasswordSource {
  /** cosign's variable; set but empty means the empty password, which cosign accepts. */
  String ENV = "COSIGN_PASSWORD";

  /**
   * The password. With {@code confirm} (writing a new key) an interactive source asks twice and
   * refuses a mismatch, as cosign does.
   */
  byte[] password(boolean confirm) throws KeyFileException;

  /** A fixed password, for callers that already hold it. */
  static PasswordSource of(String password) {
    byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
    return confirm -> bytes.clone();
  }

  /** cosign's order: {@code COSIGN_PASSWORD}, else a prompt on the console without echo. */
  static PasswordSource cosign() {
    return cosign(System.getenv(), System::console);
  }

  static PasswordSource cosign(Map<String, String> env, Supplier<Console> console) {
    return confirm -> {
      String fromEnv = env.get(ENV);
      if (fromEnv != null) {
        return fromEnv.getBytes(StandardCharsets.UTF_8);
      }
      Console c = console.get();
      if (c == null) {
        // cosign would read a piped stdin here; we refuse rather than consume a stream a caller
        // may be using for something else.
        throw new KeyFileException(
            "the key file is encrypted and there is no terminal to ask for its password: set "
                + ENV);
      }
      byte[] first = prompt(c, "Enter password for private key: ");
      if (!confirm) {
        return first;
      }
      byte[] second = prompt(c, "Enter password for private key again: ");
      if (!Arrays.equals(first, second)) {
        throw new KeyFileException("passwords do not match");
      }
      return first;
    };
  }

  private static byte[] prompt(Console c, String prompt) throws KeyFileException {
    char[] chars = c.readPassword("%s", prompt);
    if (chars == null) {
      throw new KeyFileException("no password entered (end of input)");
    }
    var buf = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
    byte[] bytes = new byte[buf.remaining()];
    buf.get(bytes);
    Arrays.fill(chars, '\0');
    return bytes;
  }
}
