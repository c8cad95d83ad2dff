package dev.airseal.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md cannot drift from the code: every property of {@link AirsealConfig} and
 * every {@code airseal.*} key in application.properties has its own row in the reference table, and
 * every {@code airseal.*} key the page mentions still exists.
 */
class ConfigurationDocsTest {
  private static final Path DOC = Path.of("docs/configuration.md");
  private static final Path PROPERTIES = Path.of("src/main/resources/application.properties");
  // A table row documenting one key: | `airseal.x.y` | default | meaning |
  private static final Pattern ROW = Pattern.compile("^\\|\\s*`(airseal\\.[a-z0-9.*-]+)`\\s*\\|", Pattern.MULTILINE);
  private static final Pattern MENTION = Pattern.compile("`(airseal\\.[a-z0-9.*-]*[a-z0-9*])`");

  @Test
  void everyPropertyHasARow() throws IOException {
    Set<String> rows = matches(ROW, Files.readString(DOC));
    Set<String> missing = new TreeSet<>(keys());
    missing.removeAll(rows);
    assertThat(missing).as("properties of AirsealConfig without a row in " + DOC).isEmpty();
  }

  @Test
  void everyDocumentedKeyExists() throws IOException {
    Set<String> keys = keys();
    Set<String> stale = new TreeSet<>(matches(MENTION, Files.readString(DOC)));
    stale.removeAll(keys);
    // A wildcard (`airseal.*`, `airseal.tuf.*`) names a family: it must still match some key.
    stale.removeIf(m -> m.contains("*") && keys.stream().anyMatch(
        k -> k.matches(Pattern.quote(m).replace("*", "\\E.*\\Q"))));
    assertThat(stale).as("keys " + DOC + " mentions that AirsealConfig does not have").isEmpty();
  }

  @Test
  void everyKeyInApplicationPropertiesExistsAndIsDocumented() throws IOException {
    Set<String> inProperties = new TreeSet<>();
    for (String line : Files.readAllLines(PROPERTIES)) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#") || !l.contains("=")) {
        continue;
      }
      String key = l.substring(0, l.indexOf('=')).strip();
      key = key.startsWith("%") ? key.substring(key.indexOf('.') + 1) : key; // %profile.key
      if (key.startsWith("airseal.")) {
        inProperties.add(key);
      }
    }
    assertThat(inProperties).isNotEmpty();
    assertThat(keys()).containsAll(inProperties);
    assertThat(matches(ROW, Files.readString(DOC))).containsAll(inProperties);
  }

  @Test
  void keys_followSmallRyeNaming() {
    assertThat(keys()).contains("airseal.data-dir", "airseal.api.max-body-bytes", "airseal.log.index-interval",
        "airseal.tuf.timestamp-expiry", "airseal.console.session-ttl");
  }

  static Set<String> keys() {
    Set<String> out = new TreeSet<>();
    collect(AirsealConfig.class, "airseal", out);
    return out;
  }

  private static void collect(Class<?> group, String prefix, Set<String> out) {
    for (Method m : group.getMethods()) {
      if (Modifier.isStatic(m.getModifiers()) || m.isDefault() || m.getParameterCount() > 0) {
        continue;
      }
      String name = m.isAnnotationPresent(WithName.class) ? m.getAnnotation(WithName.class).value() : kebab(m.getName());
      String key = m.isAnnotationPresent(WithParentName.class) ? prefix : prefix + "." + name;
      Type t = m.getGenericReturnType();
      Class<?> raw = m.getReturnType();
      if (raw == Optional.class && t instanceof ParameterizedType p && isGroup(p.getActualTypeArguments()[0])) {
        collect((Class<?>) p.getActualTypeArguments()[0], key, out);
      } else if (raw == Map.class && t instanceof ParameterizedType p && isGroup(p.getActualTypeArguments()[1])) {
        collect((Class<?>) p.getActualTypeArguments()[1], key + ".*", out);
      } else if (raw == Map.class) {
        out.add(key + ".*");
      } else if (isGroup(raw)) {
        collect(raw, key, out);
      } else {
        out.add(key);
      }
    }
  }

  private static boolean isGroup(Type t) {
    return t instanceof Class<?> c && c.isInterface() && c.getName().startsWith("dev.airseal.");
  }

  static String kebab(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
  }

  private static Set<String> matches(Pattern p, String text) {
    Set<String> out = new TreeSet<>();
    Matcher m = p.matcher(text);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }
}
