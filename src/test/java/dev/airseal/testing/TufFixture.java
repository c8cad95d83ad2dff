package dev.airseal.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.signing.SignatureAlgorithm;
import dev.airseal.signing.soft.KeyGeneration;
import dev.airseal.signing.soft.SoftwareSigner;
import dev.airseal.tuf.TufCanonicalJson;
import dev.airseal.tuf.TufHashes;
import dev.airseal.tuf.TufKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TUF repositories made in a test with keys of every type Sigstore's roots use (ECDSA P-256 through
 * our tuf package's key and signer code, Ed25519 and RSA-PSS through the JDK), signed over our
 * canonical JSON, with any thresholds, versions and expiries a case needs.
 */
public final class TufFixture {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A key: its TUF JSON and ID, and how it signs. */
  public record Key(String id, ObjectNode json, Signing signing) {
    public interface Signing {
      byte[] sign(byte[] message) throws GeneralSecurityException;
    }

    /** The same signing key under another TUF key type (what a client must not understand). */
    public Key withKeyType(String keytype) {
      ObjectNode j = json.deepCopy();
      j.put("keytype", keytype);
      return new Key(TufHashes.sha256Hex(TufCanonicalJson.encode(j)), j, signing);
    }
  }

  private TufFixture() {}

  public static Key ecdsa() {
    SoftwareSigner s = new SoftwareSigner(KeyGeneration.generate(SignatureAlgorithm.PKIX_ECDSA_P256_SHA_256),
        SignatureAlgorithm.PKIX_ECDSA_P256_SHA_256);
    TufKey k = TufKey.of(s);
    return new Key(k.keyId(), k.json(), s::sign);
  }

  public static Key ed25519() {
    KeyPair kp = generate("Ed25519", 0);
    byte[] spki = kp.getPublic().getEncoded();
    ObjectNode j = JSON.createObjectNode().put("keytype", "ed25519").put("scheme", "ed25519");
    j.putObject("keyval").put("public", HexFormat.of().formatHex(Arrays.copyOfRange(spki, spki.length - 32,
        spki.length)));
    return new Key(TufHashes.sha256Hex(TufCanonicalJson.encode(j)), j, m -> {
      Signature sig = Signature.getInstance("Ed25519");
      sig.initSign(kp.getPrivate());
      sig.update(m);
      return sig.sign();
    });
  }

  public static Key rsaPss() {
    KeyPair kp = generate("RSA", 2048);
    String pem = "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(kp.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
    ObjectNode j = JSON.createObjectNode().put("keytype", "rsa").put("scheme", "rsassa-pss-sha256");
    j.putObject("keyval").put("public", pem);
    return new Key(TufHashes.sha256Hex(TufCanonicalJson.encode(j)), j, m -> {
      Signature sig = Signature.getInstance("RSASSA-PSS");
      sig.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
      sig.initSign(kp.getPrivate());
      sig.update(m);
      return sig.sign();
    });
  }

  private static KeyPair generate(String alg, int bits) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance(alg);
      if (bits > 0) {
        g.initialize(bits);
      }
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Keys and threshold of one role. */
  public record Role(List<Key> keys, int threshold) {
    public static Role of(Key... keys) {
      return new Role(List.of(keys), 1);
    }
  }

  /** The signed part of a root naming {@code roles} (root, timestamp, snapshot, targets). */
  public static ObjectNode root(int version, Instant expires, Map<String, Role> roles) {
    ObjectNode s = header("root", version, expires);
    s.put("consistent_snapshot", true);
    ObjectNode keys = s.putObject("keys");
    ObjectNode rs = s.putObject("roles");
    for (Map.Entry<String, Role> r : roles.entrySet()) {
      ObjectNode o = rs.putObject(r.getKey());
      ArrayNode ids = o.putArray("keyids");
      for (Key k : r.getValue().keys()) {
        keys.set(k.id(), k.json());
        ids.add(k.id());
      }
      o.put("threshold", r.getValue().threshold());
    }
    return s;
  }

  public static ObjectNode timestamp(int version, Instant expires, byte[] snapshot, long snapshotVersion) {
    ObjectNode s = header("timestamp", version, expires);
    s.putObject("meta").set("snapshot.json", meta(snapshot, snapshotVersion));
    return s;
  }

  public static ObjectNode snapshot(int version, Instant expires, byte[] targets, long targetsVersion) {
    ObjectNode s = header("snapshot", version, expires);
    s.putObject("meta").set("targets.json", meta(targets, targetsVersion));
    return s;
  }

  public static ObjectNode targets(int version, Instant expires, String name, byte[] target) {
    ObjectNode s = header("targets", version, expires);
    ObjectNode t = s.putObject("targets").putObject(name);
    t.put("length", target.length);
    t.putObject("hashes").put("sha256", TufHashes.sha256Hex(target)).put("sha512", sha512(target));
    return s;
  }

  private static String sha512(byte[] b) {
    try {
      return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-512").digest(b));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode meta(byte[] file, long version) {
    ObjectNode m = JSON.createObjectNode().put("version", version).put("length", file.length);
    m.putObject("hashes").put("sha256", TufHashes.sha256Hex(file));
    return m;
  }

  private static ObjectNode header(String type, int version, Instant expires) {
    return JSON.createObjectNode().put("_type", type).put("spec_version", "1.0.31").put("version", version)
        .put("expires", expires.toString());
  }

  /** The metadata document: {@code signed} with a signature by each of {@code signers}, pretty-printed. */
  public static byte[] sign(ObjectNode signed, List<Key> signers) {
    byte[] canonical = TufCanonicalJson.encode(signed);
    ObjectNode doc = JSON.createObjectNode();
    ArrayNode sigs = doc.putArray("signatures");
    try {
      for (Key k : signers) {
        sigs.addObject().put("keyid", k.id()).put("sig", HexFormat.of().formatHex(k.signing().sign(canonical)));
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    doc.set("signed", signed);
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A repository: root versions so far, and the current timestamp, snapshot, targets and target.
   * Every role of version 1 has one key: {@code rootKey} for root, {@code online} for the rest.
   */
  public static final class Repo {
    public final List<byte[]> roots = new ArrayList<>();
    public byte[] timestamp;
    public byte[] snapshot;
    public byte[] targets;
    public byte[] target;
    public final String targetName;
    private Map<String, Role> roles;
    private List<Key> timestampSigners;
    private List<Key> snapshotSigners;
    private List<Key> targetsSigners;

    public Repo(Key rootKey, Key online, Instant expires, String targetName, byte[] target) {
      this.targetName = targetName;
      roles = new LinkedHashMap<>();
      roles.put("root", Role.of(rootKey));
      for (String r : List.of("timestamp", "snapshot", "targets")) {
        roles.put(r, Role.of(online));
      }
      roots.add(sign(root(1, expires, roles), List.of(rootKey)));
      timestampSigners = snapshotSigners = targetsSigners = List.of(online);
      publish(1, 1, 1, expires, target);
    }

    /** A new root version with these roles, signed by {@code signers}. */
    public void rotate(Map<String, Role> next, Instant expires, List<Key> signers) {
      roles = new LinkedHashMap<>(next);
      roots.add(sign(root(roots.size() + 1, expires, roles), signers));
    }

    /** Who signs the online roles from now on. */
    public void signers(List<Key> timestamp, List<Key> snapshot, List<Key> targets) {
      timestampSigners = timestamp;
      snapshotSigners = snapshot;
      targetsSigners = targets;
    }

    /** New targets, snapshot and timestamp of these versions. */
    public void publish(int timestampVersion, int snapshotVersion, int targetsVersion, Instant expires, byte[] t) {
      target = t.clone();
      targets = sign(TufFixture.targets(targetsVersion, expires, targetName, target), targetsSigners);
      snapshot = sign(TufFixture.snapshot(snapshotVersion, expires, targets, targetsVersion), snapshotSigners);
      timestamp = sign(TufFixture.timestamp(timestampVersion, expires, snapshot, snapshotVersion), timestampSigners);
    }

    /** The repository as a mirror directory (consistent snapshots). */
    public void write(Path dir) throws IOException {
      Files.createDirectories(dir.resolve("targets"));
      for (int i = 0; i < roots.size(); i++) {
        Files.write(dir.resolve((i + 1) + ".root.json"), roots.get(i));
      }
      Files.write(dir.resolve("timestamp.json"), timestamp);
      long sv = JSON.readTree(timestamp).path("signed").path("meta").path("snapshot.json").path("version").asLong();
      Files.write(dir.resolve(sv + ".snapshot.json"), snapshot);
      long tv = JSON.readTree(snapshot).path("signed").path("meta").path("targets.json").path("version").asLong();
      Files.write(dir.resolve(tv + ".targets.json"), targets);
      Files.write(dir.resolve("targets").resolve(TufHashes.sha256Hex(target) + "." + targetName), target);
    }
  }
}
