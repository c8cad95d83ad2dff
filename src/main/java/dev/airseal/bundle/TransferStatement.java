package dev.airseal.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.oci.Digest;
import dev.airseal.store.Revocation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The signed transfer statement: who produced the bundle, its place in the producer's sequence and
 * hash chain, its lifetime, every blob it carries and what each is for. Parsing is strict: unknown
 * fields, missing fields and out-of-range values are refused, naming the field.
 */
public record TransferStatement(
    String producer,
    long sequence,
    Instant created,
    Instant expires,
    Optional<Digest> previous,
    List<BlobRef> blobs,
    List<Image> images,
    List<SignerSpec> signers,
    Optional<Digest> trustedRoot,
    List<PolicyRef> policies,
    List<Revocation> revocations,
    List<String> transferKeys,
    List<UpstreamCheckpoint> checkpoints,
    Optional<UpstreamTuf> tuf) {

  public static final Pattern PRODUCER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
  static final Pattern REPOSITORY = Pattern.compile("[a-z0-9.:-]+(/[a-z0-9._-]+)+");
  private static final Pattern POLICY_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,252}");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One carried blob. */
  public record BlobRef(Digest digest, long size, String mediaType, TransferFormat.Role role) {}

  /**
   * Evidence for one image digest in one repository ({@code registry/repository}).
   *
   * @param manifests image manifests carried (role image): the image itself, for {@code --push-to}
   */
  public record Image(
      String repository, Digest digest, List<String> tags, Optional<Digest> signatures,
      Optional<Digest> attestations, List<Digest> referrers, List<Digest> manifests) {}

  /** Who the producer says signed the images: a key (PEM) or a certificate identity. */
  public record SignerSpec(
      Optional<String> key, Optional<String> identity, Optional<String> identityRegExp,
      Optional<String> issuer, Optional<String> issuerRegExp, boolean ignoreTlog) {}

  public record PolicyRef(String name, Digest digest) {}

  /**
   * An upstream log's checkpoint as the producer fetched it, with a consistency proof from the
   * producer's previous checkpoint of that log when it had one.
   *
   * @param url the log's Rekor v1 API base URL, as the producer reached it (informative)
   * @param fetched when the producer fetched the checkpoint
   */
  public record UpstreamCheckpoint(String url, Instant fetched, Digest checkpoint, Optional<Digest> proof) {}

  /**
   * An upstream TUF repository's metadata as the producer fetched it: the root chain (increasing
   * versions), timestamp, snapshot, top-level targets and one target, a trusted root.
   */
  public record UpstreamTuf(List<Digest> roots, Digest timestamp, Digest snapshot, Digest targets, String targetName,
      Digest target) {
    public UpstreamTuf {
      roots = List.copyOf(roots);
    }
  }

  private static final Pattern TARGET_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  /** The statement of a bundle that carries no upstream TUF metadata. */
  public TransferStatement(String producer, long sequence, Instant created, Instant expires, Optional<Digest> previous,
      List<BlobRef> blobs, List<Image> images, List<SignerSpec> signers, Optional<Digest> trustedRoot,
      List<PolicyRef> policies, List<Revocation> revocations, List<String> transferKeys,
      List<UpstreamCheckpoint> checkpoints) {
    this(producer, sequence, created, expires, previous, blobs, images, signers, trustedRoot, policies, revocations,
        transferKeys, checkpoints, Optional.empty());
  }

  /** The statement of a bundle that carries no upstream checkpoints. */
  public TransferStatement(String producer, long sequence, Instant created, Instant expires, Optional<Digest> previous,
      List<BlobRef> blobs, List<Image> images, List<SignerSpec> signers, Optional<Digest> trustedRoot,
      List<PolicyRef> policies, List<Revocation> revocations, List<String> transferKeys) {
    this(producer, sequence, created, expires, previous, blobs, images, signers, trustedRoot, policies, revocations,
        transferKeys, List.of(), Optional.empty());
  }

  public TransferStatement {
    blobs = List.copyOf(blobs);
    images = List.copyOf(images);
    signers = List.copyOf(signers);
    policies = List.copyOf(policies);
    revocations = List.copyOf(revocations);
    transferKeys = List.copyOf(transferKeys);
    checkpoints = List.copyOf(checkpoints);
  }

  /** The statement as signed: compact JSON in a fixed field order. */
  public byte[] toJson() {
    ObjectNode n = JSON.createObjectNode();
    n.put("_type", TransferFormat.STATEMENT_TYPE);
    n.put("producer", producer);
    n.put("sequence", sequence);
    n.put("created", created.toString());
    n.put("expires", expires.toString());
    if (previous.isPresent()) {
      n.put("previous", previous.get().toString());
    } else {
      n.putNull("previous");
    }
    ArrayNode b = n.putArray("blobs");
    for (BlobRef r : blobs) {
      b.addObject().put("digest", r.digest().toString()).put("size", r.size())
          .put("mediaType", r.mediaType()).put("role", r.role().wire());
    }
    ArrayNode im = n.putArray("images");
    for (Image i : images) {
      ObjectNode o = im.addObject();
      o.put("repository", i.repository());
      o.put("digest", i.digest().toString());
      i.tags().forEach(o.putArray("tags")::add);
      i.signatures().ifPresent(d -> o.put("signatures", d.toString()));
      i.attestations().ifPresent(d -> o.put("attestations", d.toString()));
      ArrayNode refs = o.putArray("referrers");
      i.referrers().forEach(d -> refs.add(d.toString()));
      ArrayNode ms = o.putArray("manifests");
      i.manifests().forEach(d -> ms.add(d.toString()));
    }
    ArrayNode s = n.putArray("signers");
    for (SignerSpec sp : signers) {
      ObjectNode o = s.addObject();
      sp.key().ifPresent(k -> o.put("key", k));
      sp.identity().ifPresent(k -> o.put("identity", k));
      sp.identityRegExp().ifPresent(k -> o.put("identityRegExp", k));
      sp.issuer().ifPresent(k -> o.put("issuer", k));
      sp.issuerRegExp().ifPresent(k -> o.put("issuerRegExp", k));
      if (sp.ignoreTlog()) {
        o.put("ignoreTlog", true);
      }
    }
    trustedRoot.ifPresent(d -> n.put("trustedRoot", d.toString()));
    ArrayNode p = n.putArray("policies");
    policies.forEach(r -> p.addObject().put("name", r.name()).put("digest", r.digest().toString()));
    ArrayNode rv = n.putArray("revocations");
    revocations.forEach(r -> rv.addObject().put("kind", r.kind().wire()).put("value", r.value()).put("reason", r.reason()));
    if (!transferKeys.isEmpty()) {
      transferKeys.forEach(n.putArray("transferKeys")::add);
    }
    if (!checkpoints.isEmpty()) {
      ArrayNode cs = n.putArray("checkpoints");
      for (UpstreamCheckpoint c : checkpoints) {
        ObjectNode o = cs.addObject();
        o.put("url", c.url());
        o.put("fetched", c.fetched().toString());
        o.put("checkpoint", c.checkpoint().toString());
        c.proof().ifPresent(d -> o.put("proof", d.toString()));
      }
    }
    if (tuf.isPresent()) {
      UpstreamTuf t = tuf.get();
      ObjectNode o = n.putObject("tuf");
      ArrayNode roots = o.putArray("roots");
      t.roots().forEach(d -> roots.add(d.toString()));
      o.put("timestamp", t.timestamp().toString());
      o.put("snapshot", t.snapshot().toString());
      o.put("targets", t.targets().toString());
      o.putObject("target").put("name", t.targetName()).put("digest", t.target().toString());
    }
    return n.toString().getBytes(StandardCharsets.UTF_8);
  }

  public static TransferStatement parse(byte[] json) throws BundleFormatException {
    JsonNode n;
    try {
      n = JSON.readTree(json);
    } catch (IOException e) {
      throw new BundleFormatException("transfer statement is not JSON: " + e.getMessage());
    }
    if (n == null || !n.isObject()) {
      throw new BundleFormatException("transfer statement is not a JSON object");
    }
    only(n, "statement", Set.of("_type", "producer", "sequence", "created", "expires", "previous", "blobs", "images",
        "signers", "trustedRoot", "policies", "revocations", "transferKeys", "checkpoints", "tuf"));
    if (!TransferFormat.STATEMENT_TYPE.equals(n.path("_type").asText(null))) {
      throw new BundleFormatException("statement _type must be " + TransferFormat.STATEMENT_TYPE);
    }
    String producer = text(n, "producer");
    if (!PRODUCER.matcher(producer).matches()) {
      throw new BundleFormatException("producer \"" + producer + "\" must match " + PRODUCER);
    }
    JsonNode seq = n.get("sequence");
    if (seq == null || !seq.isIntegralNumber() || !seq.canConvertToLong() || seq.asLong() < 1) {
      throw new BundleFormatException("sequence must be an integer >= 1");
    }
    Instant created = instant(n, "created");
    Instant expires = instant(n, "expires");
    if (!expires.isAfter(created)) {
      throw new BundleFormatException("expires (" + expires + ") must be after created (" + created + ")");
    }
    Optional<Digest> previous = n.path("previous").isNull() || n.path("previous").isMissingNode()
        ? Optional.empty() : Optional.of(digest(n.get("previous"), "previous"));
    List<BlobRef> blobs = new ArrayList<>();
    for (JsonNode b : array(n, "blobs", true)) {
      only(b, "blobs[]", Set.of("digest", "size", "mediaType", "role"));
      JsonNode size = b.get("size");
      if (size == null || !size.isIntegralNumber() || !size.canConvertToLong() || size.asLong() < 0) {
        throw new BundleFormatException("blobs[].size must be a non-negative integer");
      }
      TransferFormat.Role role;
      try {
        role = TransferFormat.Role.fromWire(text(b, "role"));
      } catch (IllegalArgumentException e) {
        throw new BundleFormatException("blobs[]: " + e.getMessage());
      }
      blobs.add(new BlobRef(digest(b.get("digest"), "blobs[].digest"), size.asLong(), text(b, "mediaType"), role));
    }
    List<Image> images = new ArrayList<>();
    for (JsonNode i : array(n, "images", true)) {
      only(i, "images[]", Set.of("repository", "digest", "tags", "signatures", "attestations", "referrers", "manifests"));
      String repo = text(i, "repository");
      if (!REPOSITORY.matcher(repo).matches() || repo.length() > 512) {
        throw new BundleFormatException("images[].repository \"" + repo + "\" is not registry/repository");
      }
      List<String> tags = new ArrayList<>();
      for (JsonNode t : array(i, "tags", false)) {
        if (!t.isTextual() || !TAG.matcher(t.asText()).matches()) {
          throw new BundleFormatException("images[].tags: \"" + t.asText() + "\" is not a valid tag");
        }
        tags.add(t.asText());
      }
      images.add(new Image(repo, digest(i.get("digest"), "images[].digest"), tags,
          optionalDigest(i, "signatures"), optionalDigest(i, "attestations"),
          digests(i, "referrers"), digests(i, "manifests")));
    }
    List<SignerSpec> signers = new ArrayList<>();
    for (JsonNode s : array(n, "signers", false)) {
      only(s, "signers[]", Set.of("key", "identity", "identityRegExp", "issuer", "issuerRegExp", "ignoreTlog"));
      SignerSpec sp = new SignerSpec(opt(s, "key"), opt(s, "identity"), opt(s, "identityRegExp"), opt(s, "issuer"),
          opt(s, "issuerRegExp"), s.path("ignoreTlog").asBoolean(false));
      boolean keyed = sp.key().isPresent();
      boolean identity = sp.identity().isPresent() || sp.identityRegExp().isPresent();
      if (keyed == identity || (identity && sp.issuer().isEmpty() && sp.issuerRegExp().isEmpty())) {
        throw new BundleFormatException("signers[] needs either a key or an identity with an issuer");
      }
      signers.add(sp);
    }
    Optional<Digest> trustedRoot = optionalDigest(n, "trustedRoot");
    List<PolicyRef> policies = new ArrayList<>();
    for (JsonNode p : array(n, "policies", false)) {
      only(p, "policies[]", Set.of("name", "digest"));
      String name = text(p, "name");
      if (!POLICY_NAME.matcher(name).matches()) {
        throw new BundleFormatException("policies[].name \"" + name + "\" must match " + POLICY_NAME);
      }
      policies.add(new PolicyRef(name, digest(p.get("digest"), "policies[].digest")));
    }
    List<Revocation> revocations = new ArrayList<>();
    for (JsonNode r : array(n, "revocations", false)) {
      only(r, "revocations[]", Set.of("kind", "value", "reason"));
      try {
        revocations.add(new Revocation(Revocation.Kind.fromWire(text(r, "kind")), text(r, "value"),
            r.path("reason").asText("")));
      } catch (IllegalArgumentException e) {
        throw new BundleFormatException("revocations[]: " + e.getMessage());
      }
    }
    List<String> keys = new ArrayList<>();
    for (JsonNode k : array(n, "transferKeys", false)) {
      if (!k.isTextual()) {
        throw new BundleFormatException("transferKeys[] must be PEM strings");
      }
      keys.add(k.asText());
    }
    List<UpstreamCheckpoint> checkpoints = new ArrayList<>();
    for (JsonNode c : array(n, "checkpoints", false)) {
      only(c, "checkpoints[]", Set.of("url", "fetched", "checkpoint", "proof"));
      String url = text(c, "url");
      if (url.length() > 2048 || !url.matches("https?://[^\\s]+")) {
        throw new BundleFormatException("checkpoints[].url \"" + url + "\" is not an http(s) URL");
      }
      checkpoints.add(new UpstreamCheckpoint(url, instant(c, "fetched"), digest(c.get("checkpoint"),
          "checkpoints[].checkpoint"), optionalDigest(c, "proof")));
    }
    Optional<UpstreamTuf> tuf = Optional.empty();
    if (n.has("tuf")) {
      JsonNode t = n.get("tuf");
      only(t, "tuf", Set.of("roots", "timestamp", "snapshot", "targets", "target"));
      List<Digest> roots = digests(t, "roots");
      if (roots.isEmpty()) {
        throw new BundleFormatException("tuf.roots must name at least the newest root");
      }
      JsonNode target = t.get("target");
      only(target == null ? JSON.nullNode() : target, "tuf.target", Set.of("name", "digest"));
      String name = text(target, "name");
      if (!TARGET_NAME.matcher(name).matches()) {
        throw new BundleFormatException("tuf.target.name \"" + name + "\" must match " + TARGET_NAME);
      }
      tuf = Optional.of(new UpstreamTuf(roots, digest(t.get("timestamp"), "tuf.timestamp"),
          digest(t.get("snapshot"), "tuf.snapshot"), digest(t.get("targets"), "tuf.targets"), name,
          digest(target.get("digest"), "tuf.target.digest")));
    }
    return new TransferStatement(producer, seq.asLong(), created, expires, previous, blobs, images, signers,
        trustedRoot, policies, revocations, keys, checkpoints, tuf);
  }

  private static void only(JsonNode n, String where, Set<String> allowed) throws BundleFormatException {
    if (!n.isObject()) {
      throw new BundleFormatException(where + " must be an object");
    }
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        throw new BundleFormatException(where + " has unknown field \"" + f + "\"");
      }
    }
  }

  private static String text(JsonNode n, String field) throws BundleFormatException {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual() || v.asText().isEmpty()) {
      throw new BundleFormatException("field \"" + field + "\" must be a non-empty string");
    }
    return v.asText();
  }

  private static Optional<String> opt(JsonNode n, String field) throws BundleFormatException {
    return n.has(field) ? Optional.of(text(n, field)) : Optional.empty();
  }

  private static Instant instant(JsonNode n, String field) throws BundleFormatException {
    String s = text(n, field);
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw new BundleFormatException("field \"" + field + "\" is not an RFC 3339 UTC time: " + s);
    }
  }

  private static Iterable<JsonNode> array(JsonNode n, String field, boolean required) throws BundleFormatException {
    JsonNode a = n.get(field);
    if (a == null && !required) {
      return List.of();
    }
    if (a == null || !a.isArray()) {
      throw new BundleFormatException("field \"" + field + "\" must be an array");
    }
    return a;
  }

  private static Digest digest(JsonNode v, String where) throws BundleFormatException {
    if (v == null || !v.isTextual()) {
      throw new BundleFormatException(where + " must be a digest string");
    }
    try {
      return Digest.parse(v.asText());
    } catch (IllegalArgumentException e) {
      throw new BundleFormatException(where + ": " + e.getMessage());
    }
  }

  private static Optional<Digest> optionalDigest(JsonNode n, String field) throws BundleFormatException {
    return n.has(field) ? Optional.of(digest(n.get(field), field)) : Optional.empty();
  }

  private static List<Digest> digests(JsonNode n, String field) throws BundleFormatException {
    List<Digest> out = new ArrayList<>();
    for (JsonNode d : array(n, field, false)) {
      out.add(digest(d, field + "[]"));
    }
    return out;
  }

  /** The bundle's identity in the hash chain: SHA-256 of the statement bytes as signed. */
  public static Digest bundleDigest(byte[] statementJson) {
    return Digest.of(Objects.requireNonNull(statementJson));
  }
}
