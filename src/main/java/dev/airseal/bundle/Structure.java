package dev.airseal.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airseal.oci.Digest;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The statement and the blobs must describe each other exactly: every blob a carried manifest
 * names is carried and listed with its role and size, and every listed blob is reached from the
 * statement. A blob nothing refers to is refused: it would cross the gap unaccounted for.
 */
final class Structure {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Structure() {}

  static void check(OpenedBundle b, Map<Digest, TransferStatement.BlobRef> listed) throws BundleFormatException {
    TransferStatement s = b.statement();
    Set<Digest> reached = new HashSet<>();
    Deque<Digest> manifests = new ArrayDeque<>();
    Map<Digest, TransferFormat.Role> roots = new java.util.HashMap<>();
    for (TransferStatement.Image i : s.images()) {
      i.signatures().ifPresent(d -> root(d, TransferFormat.Role.EVIDENCE, roots, reached, manifests));
      i.attestations().ifPresent(d -> root(d, TransferFormat.Role.EVIDENCE, roots, reached, manifests));
      i.referrers().forEach(d -> root(d, TransferFormat.Role.EVIDENCE, roots, reached, manifests));
      i.manifests().forEach(d -> root(d, TransferFormat.Role.IMAGE, roots, reached, manifests));
      if (!i.manifests().isEmpty() && !i.manifests().contains(i.digest())) {
        throw new BundleFormatException("image " + i.repository() + "@" + i.digest()
            + " carries manifests but not its own");
      }
    }
    s.trustedRoot().ifPresent(d -> reached.add(d));
    s.policies().forEach(p -> reached.add(p.digest()));
    for (TransferStatement.UpstreamCheckpoint c : s.checkpoints()) {
      reached.add(c.checkpoint());
      c.proof().ifPresent(reached::add);
    }
    s.tuf().ifPresent(t -> {
      reached.addAll(t.roots());
      reached.addAll(List.of(t.timestamp(), t.snapshot(), t.targets(), t.target()));
    });
    Set<Digest> walked = new HashSet<>();
    while (!manifests.isEmpty()) {
      Digest m = manifests.pop();
      if (!walked.add(m)) {
        continue;
      }
      TransferStatement.BlobRef ref = need(m, "the statement", listed);
      if (roots.containsKey(m)) {
        role(ref, roots.get(m));
      }
      if (!MediaTypes.MANIFESTS.contains(ref.mediaType())) {
        throw new BundleFormatException("blob " + m + " is used as a manifest but has media type " + ref.mediaType());
      }
      java.util.Optional<byte[]> bytes = b.blob(m);
      if (bytes.isEmpty()) {
        throw new BundleFormatException("manifest " + m + " is an image manifest not listed in images[].manifests");
      }
      JsonNode n;
      try {
        n = JSON.readTree(bytes.get());
      } catch (IOException e) {
        throw new BundleFormatException("manifest " + m + " is not JSON: " + e.getMessage());
      }
      if (n == null || !n.isObject()) {
        throw new BundleFormatException("manifest " + m + " is not a JSON object");
      }
      for (JsonNode d : descriptors(n)) {
        Digest child = BundleReader.digest(d.path("digest").asText(), "descriptor in manifest " + m);
        TransferStatement.BlobRef c = need(child, "manifest " + m, listed);
        if (c.role() != ref.role()) {
          throw new BundleFormatException("manifest " + m + " (" + ref.role().wire() + ") refers to " + child
              + " listed as " + c.role().wire());
        }
        if (d.path("size").asLong(-1) != c.size()) {
          throw new BundleFormatException("manifest " + m + " gives blob " + child + " size " + d.path("size").asText()
              + ", the statement " + c.size());
        }
        reached.add(child);
        if (n.has("manifests")) {
          manifests.push(child);
        }
      }
    }
    for (Digest d : listed.keySet()) {
      if (!reached.contains(d)) {
        throw new BundleFormatException("blob " + d + " is listed but nothing in the bundle refers to it");
      }
    }
    for (TransferStatement.PolicyRef p : s.policies()) {
      role(need(p.digest(), "policy " + p.name(), listed), TransferFormat.Role.POLICY);
    }
    if (s.trustedRoot().isPresent()) {
      role(need(s.trustedRoot().get(), "trustedRoot", listed), TransferFormat.Role.TRUSTED_ROOT);
    }
    for (TransferStatement.UpstreamCheckpoint c : s.checkpoints()) {
      role(need(c.checkpoint(), "checkpoint of " + c.url(), listed), TransferFormat.Role.CHECKPOINT);
      if (c.proof().isPresent()) {
        role(need(c.proof().get(), "consistency proof of " + c.url(), listed), TransferFormat.Role.CONSISTENCY_PROOF);
      }
    }
    if (s.tuf().isPresent()) {
      TransferStatement.UpstreamTuf t = s.tuf().get();
      for (Digest d : t.roots()) {
        role(need(d, "TUF root", listed), TransferFormat.Role.TUF_ROOT);
      }
      role(need(t.timestamp(), "TUF timestamp", listed), TransferFormat.Role.TUF_TIMESTAMP);
      role(need(t.snapshot(), "TUF snapshot", listed), TransferFormat.Role.TUF_SNAPSHOT);
      role(need(t.targets(), "TUF targets", listed), TransferFormat.Role.TUF_TARGETS);
      role(need(t.target(), "TUF target " + t.targetName(), listed), TransferFormat.Role.TUF_TARGET);
    }
  }

  private static Iterable<JsonNode> descriptors(JsonNode m) {
    java.util.List<JsonNode> out = new java.util.ArrayList<>();
    if (m.has("config")) {
      out.add(m.get("config"));
    }
    m.path("layers").forEach(out::add);
    m.path("manifests").forEach(out::add);
    return out;
  }

  private static void root(Digest d, TransferFormat.Role role, Map<Digest, TransferFormat.Role> roots,
      Set<Digest> reached, Deque<Digest> manifests) {
    reached.add(d);
    manifests.push(d);
    roots.put(d, role);
  }

  private static TransferStatement.BlobRef need(Digest d, String who, Map<Digest, TransferStatement.BlobRef> listed)
      throws BundleFormatException {
    TransferStatement.BlobRef r = listed.get(d);
    if (r == null) {
      throw new BundleFormatException(who + " refers to blob " + d + ", which the bundle does not carry");
    }
    return r;
  }

  private static void role(TransferStatement.BlobRef r, TransferFormat.Role want) throws BundleFormatException {
    if (r.role() != want) {
      throw new BundleFormatException("blob " + r.digest() + " must have role " + want.wire() + ", not "
          + r.role().wire());
    }
  }
}
