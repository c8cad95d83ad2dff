package dev.airseal.cli;

import dev.airseal.backup.BackupException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where the passphrase of an encrypted backup comes from: a file or an environment variable, never
 * the command line (which other users see in ps). It is never printed, not even in errors.
 */
final class BackupPassphraseFlags {
  static final int MIN_LENGTH = 12;

  @Option(names = "--encrypt-passphrase-file", paramLabel = "FILE",
      description = "Encrypt (backup) or decrypt (restore) the archive with the passphrase in FILE (its first"
          + " line; AES-256-GCM, key from scrypt).")
  Path file;

  @Option(names = "--encrypt-passphrase-env", paramLabel = "NAME",
      description = "As --encrypt-passphrase-file, the passphrase read from environment variable NAME.")
  String env;

  /**
   * The passphrase, if one was asked for. {@code encrypting}: a new archive, which refuses a
   * passphrase shorter than {@link #MIN_LENGTH} characters.
   */
  Optional<char[]> read(boolean encrypting) throws IOException {
    if (file != null && env != null) {
      throw new BackupException("give --encrypt-passphrase-file or --encrypt-passphrase-env, not both");
    }
    char[] p;
    String from;
    if (file != null) {
      from = file.toString();
      byte[] raw = Files.readAllBytes(file);
      try {
        p = firstLine(decode(raw, from));
      } finally {
        Arrays.fill(raw, (byte) 0);
      }
    } else if (env != null) {
      from = "environment variable " + env;
      String v = System.getenv(env);
      if (v == null) {
        throw new BackupException(from + " is not set");
      }
      p = firstLine(CharBuffer.wrap(v));
    } else {
      return Optional.empty();
    }
    if (p.length == 0) {
      throw new BackupException("the passphrase in " + from + " is empty");
    }
    if (encrypting && p.length < MIN_LENGTH) {
      int n = p.length;
      Arrays.fill(p, '\0');
      throw new BackupException("the passphrase in " + from + " has " + n + " characters; use at least "
          + MIN_LENGTH + " (e.g. head -c 32 /dev/urandom | base64)");
    }
    return Optional.of(p);
  }

  private static CharBuffer decode(byte[] raw, String from) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw));
    } catch (CharacterCodingException e) {
      throw new BackupException("the passphrase in " + from + " is not UTF-8 text");
    }
  }

  // The first line, without its line end: files written by echo or an editor end with one.
  private static char[] firstLine(CharBuffer text) {
    int end = 0;
    while (end < text.length() && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
      end++;
    }
    char[] line = new char[end];
    text.get(line, 0, end);
    if (text.hasArray()) {
      Arrays.fill(text.array(), '\0');
    }
    return line;
  }
}
