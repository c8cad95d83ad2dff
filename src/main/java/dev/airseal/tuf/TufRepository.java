package dev.airseal.tuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.signing.Signer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A TUF repository in a directory, laid out as a mirror serves it (consistent snapshots):
 * {@code N.root.json}, {@code root.json}, {@code N.targets.json}, {@code N.snapshot.json},
 * {@code timestamp.json} and {@code targets/<sha256>.<name>}.
 *
 * <p>SPEC: https://theupdateframework.github.io/specification/v1.0.31/ — one key and threshold 1
 * per role: the root key signs root, one online key signs targets, snapshot and timestamp.
 *
 * <p>Every file but {@code timestamp.json} and {@code root.json} is written once and never changed;
 * each is written whole to a temporary file and moved into place, and the files of a new version
 * are written before the metadata naming them, so a reader never sees a name it cannot fetch.
 */
public final class TufRepository {
  public static final String SPEC_VERSION = "1.0.31";
  public static final String ROOT = "root";
  public static final String TARGETS = "targets";
  public static final String SNAPSHOT = "snapshot";
  public static final String TIMESTAMP = "timestamp";
  private static final List<String> ROLES = List.of(ROOT, TARGETS, SNAPSHOT, TIMESTAMP);
  private static final Pattern VERSIONED = Pattern.compile("([1-9][0-9]{0,9})\\.(root|targets|snapshot)\\.json");
  private static final Pattern TARGET_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path dir;
  private final Expiries expiries;
  private final Clock clock;

  public TufRepository(Path dir, Expiries expiries, Clock clock) {
    this.dir = dir;
    this.expiries = expiries;
    this.clock = clock;
  }

  public Path directory() {
    return dir;
  }

  public boolean initialised() {
    return Files.exists(dir.resolve("1.root.json"));
  }

  /** Version 1 of root: {@code rootKey} for root, {@code onlineKey} for the other roles. */
  public void init(Signer rootKey, Signer onlineKey) {
    if (initialised()) {
      throw new IllegalStateException("the TUF repository in " + dir + " already has a root");
    }
    writeRoot(1, TufKey.of(rootKey), TufKey.of(onlineKey), List.of(rootKey));
  }

  /** The latest root's {@code signed} part. */
  public ObjectNode root() {
    return signedOf(latest(ROOT).orElseThrow(() -> new IllegalStateException("no TUF root in " + dir)));
  }

  public int version(String role) {
    if (role.equals(TIMESTAMP)) {
      return read("timestamp.json").map(b -> signedOf(b).path("version").asInt()).orElse(0);
    }
    return latestVersion(role);
  }

  /** The key IDs that may sign {@code role} in the latest root. */
  public List<String> keyIds(String role) {
    List<String> ids = new ArrayList<>();
    root().path("roles").path(role).path("keyids").forEach(n -> ids.add(n.asText()));
    return ids;
  }

  /** Whether {@code signer}'s key may sign {@code role} in the latest root. */
  public boolean signs(String role, Signer signer) {
    return keyIds(role).contains(TufKey.of(signer).keyId());
  }

  /**
   * Publishes {@code targets} (name to content) when they differ from the latest targets: a new
   * targets, snapshot and timestamp version. Returns whether anything was published.
   */
  public boolean publish(Map<String, byte[]> targets, Signer online) {
    ObjectNode entries = JSON.createObjectNode();
    for (Map.Entry<String, byte[]> t : new TreeMap<>(targets).entrySet()) {
      if (!TARGET_NAME.matcher(t.getKey()).matches()) {
        throw new IllegalArgumentException("target name not allowed: " + t.getKey());
      }
      entries.set(t.getKey(), fileMeta(t.getValue(), null));
    }
    Optional<byte[]> current = latest(TARGETS);
    if (current.isPresent() && signedOf(current.get()).path("targets").equals(entries)) {
      return false;
    }
    for (Map.Entry<String, byte[]> t : targets.entrySet()) {
      writeOnce("targets/" + TufHashes.sha256Hex(t.getValue()) + "." + t.getKey(), t.getValue());
    }
    writeTargets(entries, online);
    return true;
  }

  /**
   * Re-signs every role whose metadata has less than half its lifetime left, and the roles that
   * name it (a new targets needs a new snapshot, which needs a new timestamp). The root is
   * re-signed, as a new version with the same keys, only if {@code rootKey} is given.
   *
   * @return the roles re-signed
   */
  public List<String> refresh(Optional<Signer> rootKey, Signer online) {
    List<String> done = new ArrayList<>();
    if (rootKey.isPresent() && expiring(root())) {
      ObjectNode r = root();
      writeRoot(r.path("version").asInt() + 1, r, List.of(rootKey.get()));
      done.add(ROOT);
    }
    Optional<byte[]> targets = latest(TARGETS);
    if (targets.isEmpty()) {
      return done;
    }
    if (expiring(signedOf(targets.get()))) {
      writeTargets(signedOf(targets.get()).path("targets").deepCopy(), online);
      done.addAll(List.of(TARGETS, SNAPSHOT, TIMESTAMP));
    } else if (expiring(signedOf(latest(SNAPSHOT).orElseThrow()))) {
      writeSnapshot(online);
      done.addAll(List.of(SNAPSHOT, TIMESTAMP));
    } else if (read("timestamp.json").map(b -> expiring(signedOf(b))).orElse(true)) {
      writeTimestamp(online);
      done.add(TIMESTAMP);
    }
    return done;
  }

  /**
   * Root rotation: version N+1 names {@code newRoot} for root and {@code online} for the other
   * roles, signed by {@code oldRoot} (a key of version N's root role, so clients holding N accept
   * it) and by {@code newRoot} (so N+1 meets its own threshold). When the online key changes,
   * targets, snapshot and timestamp are signed anew with it.
   *
   * @return the new root version
   */
  public int rotateRoot(Signer oldRoot, Signer newRoot, Signer online) {
    if (!signs(ROOT, oldRoot)) {
      throw new IllegalStateException("key " + TufKey.of(oldRoot).keyId() + " is not a root key of root version "
          + version(ROOT) + " (root keys " + keyIds(ROOT) + "): clients would refuse the new root");
    }
    boolean onlineChanged = !signs(TIMESTAMP, online);
    int next = version(ROOT) + 1;
    TufKey rootKey = TufKey.of(newRoot);
    List<Signer> signers = rootKey.keyId().equals(TufKey.of(oldRoot).keyId()) ? List.of(newRoot) : List.of(oldRoot, newRoot);
    writeRoot(next, rootKey, TufKey.of(online), signers);
    if (onlineChanged && latest(TARGETS).isPresent()) {
      writeTargets(signedOf(latest(TARGETS).get()).path("targets").deepCopy(), online);
    }
    return next;
  }

  /**
   * A file of the repository by its name relative to the repository directory, as a mirror serves
   * it; empty for names outside the layout.
   */
  public Optional<byte[]> read(String name) {
    if (!name.equals("timestamp.json") && !name.equals("root.json") && !VERSIONED.matcher(name).matches()
        && !(name.startsWith("targets/") && targetFileName(name.substring("targets/".length())))) {
      return Optional.empty();
    }
    Path p = dir.resolve(name);
    try {
      return Files.isRegularFile(p) ? Optional.of(Files.readAllBytes(p)) : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean targetFileName(String name) {
    int dot = name.indexOf('.');
    return dot == 64 && HexFormat.isHexDigit(name.charAt(0))
        && name.substring(0, 64).chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))
        && TARGET_NAME.matcher(name.substring(65)).matches();
  }

  /**
   * The repository as a gzipped tar whose entries are under {@code repository/}: the layout
   * policy-controller's {@code TrustRoot.spec.repository.mirrorFS} takes (base64 in the resource),
   * and what {@code tar xzf} turns into a directory any TUF client can use as a file mirror.
   */
  public void exportTarGz(OutputStream out) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("repository", null);
    List<String> names = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      files.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString().replace('\\', '/'))
          .filter(n -> read(n).isPresent()).sorted().forEach(names::add);
    }
    boolean targetsDir = false;
    for (String n : names) {
      if (n.startsWith("targets/") && !targetsDir) {
        entries.put("repository/targets", null);
        targetsDir = true;
      }
      entries.put("repository/" + n, read(n).orElseThrow());
    }
    TarGz.write(out, entries, clock.instant().getEpochSecond());
  }

  // --- writing ---

  private void writeRoot(int version, TufKey rootKey, TufKey onlineKey, List<Signer> signers) {
    ObjectNode signed = header(ROOT, version);
    signed.put("consistent_snapshot", true);
    ObjectNode keys = signed.putObject("keys");
    keys.set(rootKey.keyId(), rootKey.json());
    keys.set(onlineKey.keyId(), onlineKey.json());
    ObjectNode roles = signed.putObject("roles");
    for (String role : ROLES) {
      ObjectNode r = roles.putObject(role);
      r.putArray("keyids").add(role.equals(ROOT) ? rootKey.keyId() : onlineKey.keyId());
      r.put("threshold", 1);
    }
    byte[] doc = sign(signed, signers);
    writeOnce(version + ".root.json", doc);
    writeReplacing("root.json", doc);
  }

  // A new version of an existing root: the same keys and roles, a new version and expiry.
  private void writeRoot(int version, ObjectNode previous, List<Signer> signers) {
    ObjectNode signed = header(ROOT, version);
    signed.put("consistent_snapshot", true);
    signed.set("keys", previous.path("keys").deepCopy());
    signed.set("roles", previous.path("roles").deepCopy());
    byte[] doc = sign(signed, signers);
    writeOnce(version + ".root.json", doc);
    writeReplacing("root.json", doc);
  }

  private void writeTargets(ObjectNode entries, Signer online) {
    ObjectNode signed = header(TARGETS, latestVersion(TARGETS) + 1);
    signed.set("targets", entries);
    writeOnce(signed.path("version").asInt() + ".targets.json", sign(signed, List.of(online)));
    writeSnapshot(online);
  }

  private void writeSnapshot(Signer online) {
    int targets = latestVersion(TARGETS);
    byte[] targetsDoc = read(targets + ".targets.json").orElseThrow();
    ObjectNode signed = header(SNAPSHOT, latestVersion(SNAPSHOT) + 1);
    signed.putObject("meta").set("targets.json", fileMeta(targetsDoc, targets));
    writeOnce(signed.path("version").asInt() + ".snapshot.json", sign(signed, List.of(online)));
    writeTimestamp(online);
  }

  private void writeTimestamp(Signer online) {
    int snapshot = latestVersion(SNAPSHOT);
    byte[] snapshotDoc = read(snapshot + ".snapshot.json").orElseThrow();
    ObjectNode signed = header(TIMESTAMP, version(TIMESTAMP) + 1);
    signed.putObject("meta").set("snapshot.json", fileMeta(snapshotDoc, snapshot));
    writeReplacing("timestamp.json", sign(signed, List.of(online)));
  }

  private ObjectNode header(String role, int version) {
    ObjectNode signed = JSON.createObjectNode();
    signed.put("_type", role);
    signed.put("spec_version", SPEC_VERSION);
    signed.put("version", version);
    // Whole seconds with Z: the form every client's parser takes.
    signed.put("expires", now().plus(expiries.of(role)).toString());
    return signed;
  }

  private static ObjectNode fileMeta(byte[] content, Integer version) {
    ObjectNode m = JSON.createObjectNode();
    if (version != null) {
      m.put("version", version);
    }
    m.put("length", content.length);
    m.putObject("hashes").put("sha256", TufHashes.sha256Hex(content));
    return m;
  }

  private byte[] sign(ObjectNode signed, List<Signer> signers) {
    byte[] canonical = TufCanonicalJson.encode(signed);
    ObjectNode doc = JSON.createObjectNode();
    ArrayNode sigs = doc.putArray("signatures");
    for (Signer s : signers) {
      sigs.addObject().put("keyid", TufKey.of(s).keyId()).put("sig", HexFormat.of().formatHex(s.sign(canonical)));
    }
    doc.set("signed", signed);
    try {
      return JSON.writeValueAsBytes(doc);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // --- reading ---

  private boolean expiring(JsonNode signed) {
    String role = signed.path("_type").asText();
    Instant expires = Instant.parse(signed.path("expires").asText());
    Duration left = Duration.between(now(), expires);
    return left.compareTo(expiries.of(role).dividedBy(2)) < 0;
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS);
  }

  private Optional<byte[]> latest(String role) {
    int v = latestVersion(role);
    return v == 0 ? Optional.empty() : read(v + "." + role + ".json");
  }

  private int latestVersion(String role) {
    int max = 0;
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Matcher m = VERSIONED.matcher(p.getFileName().toString());
        if (m.matches() && m.group(2).equals(role)) {
          max = Math.max(max, Integer.parseInt(m.group(1)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return max;
  }

  private static ObjectNode signedOf(byte[] doc) {
    try {
      return (ObjectNode) JSON.readTree(doc).path("signed");
    } catch (IOException | ClassCastException e) {
      throw new IllegalStateException("TUF metadata in the repository does not parse", e);
    }
  }

  // --- files ---

  private void writeOnce(String name, byte[] content) {
    Path p = dir.resolve(name);
    if (Files.exists(p)) {
      try {
        if (java.util.Arrays.equals(Files.readAllBytes(p), content)) {
          return;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      // Published metadata is immutable: clients may hold its hash.
      throw new IllegalStateException(name + " exists with other content; published TUF files never change");
    }
    writeReplacing(name, content);
  }

  private void writeReplacing(String name, byte[] content) {
    Path p = dir.resolve(name);
    try {
      Files.createDirectories(p.getParent());
      Path tmp = p.resolveSibling("." + p.getFileName() + ".tmp");
      Files.write(tmp, content);
      try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      try {
        Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + p, e);
    }
  }
}
