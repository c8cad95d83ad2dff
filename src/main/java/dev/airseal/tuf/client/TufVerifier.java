package dev.airseal.tuf.client;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airseal.tuf.TufCanonicalJson;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The TUF client workflow (SPEC: https://theupdateframework.github.io/specification/latest/ §5.3 to
 * §5.7) over metadata already at hand instead of fetched: a root chain from the trusted root, then
 * timestamp → snapshot → top-level targets → one target file. Expiry is judged at a time the caller
 * gives (for a transfer bundle: when the producer fetched, not the site clock). Delegated targets
 * roles are not followed: the target must be named by the top-level targets role.
 */
public final class TufVerifier {
  /**
   * What the site trusts already: a root document and the highest versions it accepted (0: none).
   */
  public record Trusted(byte[] root, long timestamp, long snapshot, long targets) {}

  /** Metadata as a mirror serves it; {@code roots} in increasing version order. */
  public record Carried(List<byte[]> roots, byte[] timestamp, byte[] snapshot, byte[] targets, String targetName,
      byte[] target) {}

  /** What verified: the new trusted state and the target's bytes. */
  public record Result(int rootVersion, byte[] root, long timestamp, long snapshot, long targets, byte[] target,
      List<String> notes) {}

  private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private TufVerifier() {}

  /** The version of a root document, after checking it is signed by its own root keys. */
  public static int selfSignedRootVersion(byte[] root) throws TufException {
    JsonNode doc = parse(root, "root");
    threshold(doc, signed(doc, "root"), "root", "trusted root");
    return version(doc);
  }

  public static Result verify(Trusted trusted, Carried c, Instant at) throws TufException {
    List<String> notes = new ArrayList<>();
    // §5.2: the trusted root must meet its own threshold.
    JsonNode root = parse(trusted.root(), "root");
    JsonNode rootSigned = signed(root, "root");
    threshold(root, rootSigned, "root", "trusted root version " + version(root));
    int trustedVersion = version(root);
    byte[] rootBytes = trusted.root();
    long tsFloor = trusted.timestamp();
    long snapFloor = trusted.snapshot();
    long targetsFloor = trusted.targets();
    if (c.roots().isEmpty()) {
      throw new TufException("no root metadata carried");
    }
    // §5.3: each newer root is signed by a threshold of the previous root's keys and of its own.
    int last = 0;
    for (byte[] r : c.roots()) {
      JsonNode next = parse(r, "root");
      int v = version(next);
      if (last != 0 && v != last + 1) {
        throw new TufException("carried root versions are not consecutive: " + last + " then " + v);
      }
      last = v;
      if (v <= trustedVersion) {
        continue;
      }
      if (v != version(root) + 1) {
        throw new TufException("root version " + v + " does not follow the trusted root version " + version(root)
            + " (carry the chain from version " + (version(root) + 1) + ")");
      }
      JsonNode nextSigned = signed(next, "root");
      threshold(next, rootSigned, "root", "root version " + v + " (by the keys of version " + version(root) + ")");
      threshold(next, nextSigned, "root", "root version " + v + " (by its own keys)");
      // §5.3.11: new timestamp or snapshot keys make the versions signed by the old ones meaningless.
      if (!rootSigned.path("roles").path("timestamp").equals(nextSigned.path("roles").path("timestamp"))) {
        tsFloor = 0;
        snapFloor = 0;
        targetsFloor = 0;
        notes.add("root version " + v + " rotated the timestamp keys: timestamp and snapshot versions start over");
      } else if (!rootSigned.path("roles").path("snapshot").equals(nextSigned.path("roles").path("snapshot"))) {
        snapFloor = 0;
        targetsFloor = 0;
        notes.add("root version " + v + " rotated the snapshot keys: snapshot versions start over");
      }
      root = next;
      rootSigned = nextSigned;
      rootBytes = r;
    }
    if (last < trustedVersion) {
      throw new TufException("rollback: the newest carried root is version " + last + ", the site already trusts"
          + " version " + trustedVersion);
    }
    expiry(rootSigned, "root version " + version(root), at);
    if (version(root) > trustedVersion) {
      notes.add("root updated from version " + trustedVersion + " to " + version(root));
    } else {
      notes.add("root unchanged at version " + trustedVersion);
    }

    // §5.4 timestamp
    JsonNode ts = parse(c.timestamp(), "timestamp");
    JsonNode tsSigned = signed(ts, "timestamp");
    threshold(ts, rootSigned, "timestamp", "timestamp");
    long tsVersion = version(ts);
    if (tsVersion < tsFloor) {
      throw new TufException("rollback: timestamp version " + tsVersion + " is below version " + tsFloor
          + " the site accepted before");
    }
    JsonNode snapMeta = meta(tsSigned, "snapshot.json", "timestamp");
    long snapVersion = metaVersion(snapMeta, "timestamp's snapshot.json");
    if (snapVersion < snapFloor) {
      throw new TufException("rollback: the timestamp names snapshot version " + snapVersion + ", below version "
          + snapFloor + " the site accepted before");
    }
    expiry(tsSigned, "timestamp version " + tsVersion, at);

    // §5.5 snapshot
    fileMatches(c.snapshot(), snapMeta, "snapshot", false);
    JsonNode snap = parse(c.snapshot(), "snapshot");
    JsonNode snapSigned = signed(snap, "snapshot");
    threshold(snap, rootSigned, "snapshot", "snapshot");
    if (version(snap) != snapVersion) {
      throw new TufException("snapshot is version " + version(snap) + ", the timestamp names version " + snapVersion);
    }
    JsonNode targetsMeta = meta(snapSigned, "targets.json", "snapshot");
    long targetsVersion = metaVersion(targetsMeta, "snapshot's targets.json");
    if (targetsVersion < targetsFloor) {
      throw new TufException("rollback: the snapshot names targets version " + targetsVersion + ", below version "
          + targetsFloor + " the site accepted before");
    }
    expiry(snapSigned, "snapshot version " + snapVersion, at);

    // §5.6 targets
    fileMatches(c.targets(), targetsMeta, "targets", false);
    JsonNode targets = parse(c.targets(), "targets");
    JsonNode targetsSigned = signed(targets, "targets");
    threshold(targets, rootSigned, "targets", "targets");
    if (version(targets) != targetsVersion) {
      throw new TufException("targets is version " + version(targets) + ", the snapshot names version "
          + targetsVersion);
    }
    expiry(targetsSigned, "targets version " + targetsVersion, at);

    // §5.7 the target file
    JsonNode info = targetsSigned.path("targets").get(c.targetName());
    if (info == null || !info.isObject()) {
      throw new TufException("targets version " + targetsVersion + " names no target \"" + c.targetName() + "\"");
    }
    fileMatches(c.target(), info, "target " + c.targetName(), true);
    notes.add("timestamp version " + tsVersion + ", snapshot version " + snapVersion + ", targets version "
        + targetsVersion + "; target " + c.targetName() + " matches its length and hashes");
    return new Result(version(root), rootBytes, tsVersion, snapVersion, targetsVersion, c.target(), notes);
  }

  // --- parsing ---

  private static JsonNode parse(byte[] doc, String role) throws TufException {
    JsonNode n;
    try {
      n = JSON.readTree(doc);
    } catch (IOException e) {
      throw new TufException(role + " metadata is not JSON: " + e.getMessage());
    }
    if (n == null || !n.isObject() || !n.path("signed").isObject() || !n.path("signatures").isArray()) {
      throw new TufException(role + " metadata needs a \"signed\" object and a \"signatures\" array");
    }
    return n;
  }

  private static JsonNode signed(JsonNode doc, String role) throws TufException {
    JsonNode s = doc.get("signed");
    if (!role.equals(s.path("_type").asText())) {
      throw new TufException("metadata carried as " + role + " has _type \"" + s.path("_type").asText() + "\"");
    }
    version(doc);
    return s;
  }

  private static int version(JsonNode doc) throws TufException {
    JsonNode v = doc.path("signed").path("version");
    if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 1) {
      throw new TufException(doc.path("signed").path("_type").asText("metadata") + " version must be an integer >= 1");
    }
    return v.asInt();
  }

  private static void expiry(JsonNode signed, String what, Instant at) throws TufException {
    Instant expires;
    try {
      expires = Instant.parse(signed.path("expires").asText(""));
    } catch (DateTimeParseException e) {
      throw new TufException(what + ": expires \"" + signed.path("expires").asText("") + "\" is not a UTC time");
    }
    if (!at.isBefore(expires)) {
      throw new TufException(what + " expired at " + expires + ", before " + at);
    }
  }

  private static JsonNode meta(JsonNode signed, String name, String role) throws TufException {
    JsonNode m = signed.path("meta").get(name);
    if (m == null || !m.isObject()) {
      throw new TufException(role + " names no " + name);
    }
    return m;
  }

  private static long metaVersion(JsonNode m, String what) throws TufException {
    JsonNode v = m.path("version");
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 1) {
      throw new TufException(what + ": version must be an integer >= 1");
    }
    return v.asLong();
  }

  /** Length and hashes, where listed ({@code required}: both must be). */
  private static void fileMatches(byte[] content, JsonNode info, String what, boolean required) throws TufException {
    JsonNode length = info.get("length");
    if (length != null) {
      if (!length.isIntegralNumber() || length.asLong() != content.length) {
        throw new TufException(what + " is " + content.length + " bytes, its metadata says " + length);
      }
    } else if (required) {
      throw new TufException(what + ": the metadata lists no length");
    }
    JsonNode hashes = info.get("hashes");
    if (hashes == null || hashes.isEmpty()) {
      if (required) {
        throw new TufException(what + ": the metadata lists no hashes");
      }
      return;
    }
    int checked = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = hashes.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> h = it.next();
      String alg = switch (h.getKey()) {
        case "sha256" -> "SHA-256";
        case "sha512" -> "SHA-512";
        default -> null;
      };
      if (alg == null) {
        continue;
      }
      if (!hex(alg, content).equals(h.getValue().asText())) {
        throw new TufException(what + " does not match its " + h.getKey() + " hash in the metadata");
      }
      checked++;
    }
    if (checked == 0) {
      throw new TufException(what + ": none of the hash algorithms " + iterable(hashes.fieldNames())
          + " is sha256 or sha512");
    }
  }

  // --- signatures ---

  /**
   * §5.3.4 and following: at least {@code threshold} distinct keys of {@code role} in {@code root}
   * signed the canonical form of {@code doc}'s signed part. A key ID signing twice counts once.
   */
  private static void threshold(JsonNode doc, JsonNode root, String role, String what) throws TufException {
    JsonNode r = root.path("roles").path(role);
    JsonNode t = r.path("threshold");
    if (!t.isIntegralNumber() || t.asInt() < 1) {
      throw new TufException("the root gives role " + role + " no threshold >= 1");
    }
    Set<String> ids = new HashSet<>();
    for (JsonNode id : r.path("keyids")) {
      if (!ids.add(id.asText())) {
        throw new TufException("the root lists key " + id.asText() + " twice for role " + role);
      }
    }
    byte[] canonical;
    try {
      canonical = TufCanonicalJson.encode(doc.get("signed"));
    } catch (IllegalArgumentException e) {
      throw new TufException(what + " has no canonical form: " + e.getMessage());
    }
    Map<String, Optional<TufKeys.Key>> keys = new HashMap<>();
    StringBuilder why = new StringBuilder();
    Set<String> good = new HashSet<>();
    for (JsonNode sig : doc.get("signatures")) {
      String id = sig.path("keyid").asText("");
      if (!ids.contains(id) || good.contains(id)) {
        continue;
      }
      Optional<TufKeys.Key> k = keys.computeIfAbsent(id, x -> {
        JsonNode kj = root.path("keys").get(x);
        if (kj == null) {
          why.append(why.length() > 0 ? "; " : "").append("key ").append(x).append(" is not in the root's keys");
          return Optional.empty();
        }
        StringBuilder w = new StringBuilder();
        Optional<TufKeys.Key> p = TufKeys.parse(x, kj, w);
        if (p.isEmpty()) {
          why.append(why.length() > 0 ? "; " : "").append(w);
        }
        return p;
      });
      byte[] bytes;
      try {
        bytes = HexFormat.of().parseHex(sig.path("sig").asText(""));
      } catch (IllegalArgumentException e) {
        continue;
      }
      if (k.isPresent() && TufKeys.verify(k.get(), canonical, bytes)) {
        good.add(id);
      } else if (k.isPresent()) {
        why.append(why.length() > 0 ? "; " : "").append("signature by key ").append(id).append(" does not verify");
      }
    }
    if (good.size() < t.asInt()) {
      throw new TufException(what + ": " + good.size() + " valid signature(s) by keys of role " + role
          + ", threshold " + t.asInt() + (why.length() > 0 ? " (" + why + ")" : ""));
    }
  }

  private static String hex(String alg, byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(alg).digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(alg + " is required of every JDK", e);
    }
  }

  private static List<String> iterable(Iterator<String> it) {
    List<String> out = new ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }
}
