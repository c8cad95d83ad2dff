package dev.airseal.signing.pkcs11;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A PKCS#11 URI as cosign takes it, e.g. {@code
 * pkcs11:token=site;object=log-key?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=file:/run/pin}.
 *
 * <p>SPEC: https://www.rfc-editor.org/rfc/rfc7512 — path attributes are separated by {@code ;},
 * query attributes by {@code &}, values are percent-encoded; "an attribute MUST NOT appear more
 * than once". We also refuse attributes we cannot honour (e.g. {@code serial}) instead of ignoring
 * them: a selector silently dropped could pick a key the operator did not mean.
 *
 * <p>The module and the PIN come from the URI first, then from {@value #ENV_MODULE}, {@value
 * #ENV_PIN} and {@value #ENV_PIN_FILE}. {@link #toString()} redacts {@code pin-value}: URIs end up
 * in logs and error messages.
 */
public final class Pkcs11Uri {
  public static final String ENV_MODULE = "AIRSEAL_PKCS11_MODULE";
  public static final String ENV_PIN = "AIRSEAL_PKCS11_PIN";
  public static final String ENV_PIN_FILE = "AIRSEAL_PKCS11_PIN_FILE";
  static final String REDACTED = "REDACTED";

  private static final Set<String> PATH_ATTRIBUTES = Set.of("token", "object", "id", "slot-id", "type");
  private static final Set<String> QUERY_ATTRIBUTES =
      Set.of("module-path", "module-name", "pin-value", "pin-source");
  private static final Set<String> RFC_UNSUPPORTED =
      Set.of(
          "manufacturer", "serial", "model", "library-manufacturer", "library-description",
          "library-version", "slot-description", "slot-manufacturer");
  private static final Set<String> TYPES = Set.of("private", "public", "cert");

  // Where distributions put PKCS#11 modules; module-name=softhsm2 finds libsofthsm2.so here.
  private static final List<String> MODULE_DIRS =
      List.of(
          "/usr/lib/x86_64-linux-gnu/pkcs11", "/usr/lib/aarch64-linux-gnu/pkcs11", "/usr/lib64/pkcs11",
          "/usr/lib/pkcs11", "/usr/lib/softhsm", "/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
          "/usr/lib64", "/usr/lib", "/usr/local/lib/softhsm", "/usr/local/lib");

  private final List<String[]> rawPath; // name, encoded value, in the order given
  private final List<String[]> rawQuery;
  private final Map<String, byte[]> values; // decoded

  private Pkcs11Uri(List<String[]> rawPath, List<String[]> rawQuery, Map<String, byte[]> values) {
    this.rawPath = rawPath;
    this.rawQuery = rawQuery;
    this.values = values;
  }

  public static Pkcs11Uri parse(String uri) {
    if (uri == null || !uri.regionMatches(true, 0, "pkcs11:", 0, 7)) {
      throw new IllegalArgumentException("not a PKCS#11 URI (must start with pkcs11:)");
    }
    String rest = uri.substring(7);
    int q = rest.indexOf('?');
    String path = q < 0 ? rest : rest.substring(0, q);
    String query = q < 0 ? "" : rest.substring(q + 1);
    Map<String, byte[]> values = new LinkedHashMap<>();
    List<String[]> rawPath = split(path, ";", PATH_ATTRIBUTES, values);
    List<String[]> rawQuery = split(query, "&", QUERY_ATTRIBUTES, values);
    Pkcs11Uri parsed = new Pkcs11Uri(rawPath, rawQuery, values);
    parsed.check();
    return parsed;
  }

  private static List<String[]> split(
      String part, String separator, Set<String> allowed, Map<String, byte[]> values) {
    List<String[]> raw = new ArrayList<>();
    if (part.isEmpty()) {
      return raw;
    }
    String kind = separator.equals(";") ? "path" : "query";
    for (String segment : part.split(separator, -1)) {
      int eq = segment.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "PKCS#11 URI " + kind + " attribute '" + redactSegment(segment) + "' is not name=value");
      }
      String name = segment.substring(0, eq).toLowerCase(Locale.ROOT);
      String value = segment.substring(eq + 1);
      if (!allowed.contains(name)) {
        String why =
            RFC_UNSUPPORTED.contains(name)
                ? "is not supported by Airseal"
                : (PATH_ATTRIBUTES.contains(name) || QUERY_ATTRIBUTES.contains(name))
                    ? "belongs in the " + (kind.equals("path") ? "query" : "path")
                    : "is unknown";
        throw new IllegalArgumentException(
            "PKCS#11 URI attribute '" + name + "' " + why + " (path: " + sorted(PATH_ATTRIBUTES)
                + "; query: " + sorted(QUERY_ATTRIBUTES) + ")");
      }
      if (values.containsKey(name)) {
        throw new IllegalArgumentException("PKCS#11 URI attribute '" + name + "' appears twice");
      }
      if (value.isEmpty()) {
        throw new IllegalArgumentException("PKCS#11 URI attribute '" + name + "' is empty");
      }
      values.put(name, percentDecode(name, value));
      raw.add(new String[] {name, value});
    }
    return raw;
  }

  private void check() {
    values.keySet().stream().filter(n -> !n.equals("id")).forEach(this::string); // UTF-8 text
    if (values.containsKey("pin-value") && values.containsKey("pin-source")) {
      throw new IllegalArgumentException("PKCS#11 URI has both pin-value and pin-source; give one");
    }
    if (values.containsKey("module-path") && values.containsKey("module-name")) {
      throw new IllegalArgumentException("PKCS#11 URI has both module-path and module-name; give one");
    }
    type().filter(t -> !TYPES.contains(t)).ifPresent(t -> {
      throw new IllegalArgumentException("PKCS#11 URI type=" + t + " is not a signing key type " + sorted(TYPES));
    });
    string("slot-id").ifPresent(s -> {
      try {
        if (!s.chars().allMatch(Character::isDigit)) {
          throw new NumberFormatException();
        }
        Long.parseUnsignedLong(s);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("PKCS#11 URI slot-id '" + s + "' is not a decimal slot number");
      }
    });
    string("module-path").filter(p -> !p.startsWith("/")).ifPresent(p -> {
      throw new IllegalArgumentException("PKCS#11 URI module-path '" + p + "' is not an absolute path");
    });
    string("module-name").filter(n -> n.contains("/")).ifPresent(n -> {
      throw new IllegalArgumentException(
          "PKCS#11 URI module-name '" + n + "' must be a bare name (use module-path for a path)");
    });
    string("pin-source").ifPresent(Pkcs11Uri::pinFile);
  }

  private static String sorted(Set<String> names) {
    return String.join(", ", names.stream().sorted().toList());
  }

  private static String redactSegment(String segment) {
    return segment.toLowerCase(Locale.ROOT).startsWith("pin-value") ? "pin-value=" + REDACTED : segment;
  }

  private static byte[] percentDecode(String name, String value) {
    ByteBuffer out = ByteBuffer.allocate(value.length() * 3);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '%') {
        if (i + 2 >= value.length()) {
          throw badEscape(name, value);
        }
        int hi = Character.digit(value.charAt(i + 1), 16);
        int lo = Character.digit(value.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw badEscape(name, value);
        }
        out.put((byte) (hi << 4 | lo));
        i += 2;
      } else {
        out.put(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    byte[] bytes = new byte[out.position()];
    out.flip().get(bytes);
    return bytes;
  }

  private static IllegalArgumentException badEscape(String name, String value) {
    String shown = name.equals("pin-value") ? REDACTED : value;
    return new IllegalArgumentException(
        "PKCS#11 URI attribute '" + name + "' has a bad percent-escape: " + shown);
  }

  private Optional<String> string(String name) {
    byte[] bytes = values.get(name);
    if (bytes == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString());
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("PKCS#11 URI attribute '" + name + "' is not UTF-8 text");
    }
  }

  /** The token label ({@code token=}). */
  public Optional<String> token() {
    return string("token");
  }

  /** The object label ({@code object=}): the key's KeyStore alias. */
  public Optional<String> object() {
    return string("object");
  }

  /** The object id ({@code id=}), as raw bytes. */
  public Optional<byte[]> id() {
    return Optional.ofNullable(values.get("id")).map(byte[]::clone);
  }

  public OptionalLong slotId() {
    return string("slot-id").map(s -> OptionalLong.of(Long.parseUnsignedLong(s))).orElse(OptionalLong.empty());
  }

  public Optional<String> type() {
    return string("type");
  }

  /** The label the key is (to be) stored under: {@code object=}, else the UTF-8 text of {@code id=}. */
  Optional<String> keyLabel() {
    if (object().isPresent()) {
      return object();
    }
    return string("id");
  }

  /**
   * The module library: {@code module-path}, else {@code module-name} looked up in the usual
   * library directories, else {@value #ENV_MODULE}.
   */
  public Path module(Map<String, String> env) {
    Optional<String> path = string("module-path");
    if (path.isPresent()) {
      return Path.of(path.get());
    }
    Optional<String> name = string("module-name");
    if (name.isPresent()) {
      String n = name.get();
      List<String> files = n.endsWith(".so") ? List.of(n) : List.of(n + ".so", "lib" + n + ".so");
      for (String dir : MODULE_DIRS) {
        for (String file : files) {
          Path candidate = Path.of(dir, file);
          if (Files.isRegularFile(candidate)) {
            return candidate;
          }
        }
      }
      throw new Pkcs11Exception(
          "PKCS#11 module-name '" + n + "' not found as " + files + " in " + MODULE_DIRS);
    }
    String fromEnv = env.get(ENV_MODULE);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Path.of(fromEnv);
    }
    throw new Pkcs11Exception(
        "no PKCS#11 module for " + this + ": give module-path= or module-name= in the URI, or set "
            + ENV_MODULE);
  }

  /**
   * The user PIN: {@code pin-value}, else the file named by {@code pin-source}, else {@value
   * #ENV_PIN}, else the file named by {@value #ENV_PIN_FILE}. A file's trailing newline is not part
   * of the PIN.
   */
  public char[] pin(Map<String, String> env) {
    Optional<String> value = string("pin-value");
    if (value.isPresent()) {
      return value.get().toCharArray();
    }
    Optional<String> source = string("pin-source");
    if (source.isPresent()) {
      return readPin(pinFile(source.get()), "pin-source");
    }
    String fromEnv = env.get(ENV_PIN);
    if (fromEnv != null && !fromEnv.isEmpty()) {
      return fromEnv.toCharArray();
    }
    String file = env.get(ENV_PIN_FILE);
    if (file != null && !file.isEmpty()) {
      return readPin(Path.of(file), ENV_PIN_FILE);
    }
    throw new Pkcs11Exception(
        "no PIN for " + this + ": give pin-value= or pin-source=file:... in the URI, or set " + ENV_PIN
            + " or " + ENV_PIN_FILE);
  }

  private static Path pinFile(String source) {
    String s = source;
    if (s.startsWith("file://")) {
      s = s.substring("file://".length());
    } else if (s.startsWith("file:")) {
      s = s.substring("file:".length());
    }
    if (!s.startsWith("/")) {
      throw new IllegalArgumentException(
          "PKCS#11 URI pin-source '" + source + "' must be file:/absolute/path");
    }
    return Path.of(s);
  }

  private static char[] readPin(Path file, String from) {
    try {
      String pin = Files.readString(file, StandardCharsets.UTF_8);
      int end = pin.length();
      while (end > 0 && (pin.charAt(end - 1) == '\n' || pin.charAt(end - 1) == '\r')) {
        end--;
      }
      if (end == 0) {
        throw new Pkcs11Exception("PIN file " + file + " (" + from + ") is empty");
      }
      return pin.substring(0, end).toCharArray();
    } catch (IOException e) {
      throw new Pkcs11Exception("cannot read PIN file " + file + " (" + from + "): " + e, e);
    }
  }

  /** The URI as given, with {@code pin-value} redacted. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("pkcs11:");
    join(sb, rawPath, ";");
    if (!rawQuery.isEmpty()) {
      sb.append('?');
      join(sb, rawQuery, "&");
    }
    return sb.toString();
  }

  private static void join(StringBuilder sb, List<String[]> attributes, String separator) {
    for (int i = 0; i < attributes.size(); i++) {
      String[] a = attributes.get(i);
      sb.append(i == 0 ? "" : separator).append(a[0]).append('=');
      sb.append(a[0].equals("pin-value") ? REDACTED : a[1]);
    }
  }

  /** The id as lower-case hex, for messages. */
  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
