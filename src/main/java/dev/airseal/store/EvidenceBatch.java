package dev.airseal.store;

import dev.airseal.oci.Digest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one change adds to the evidence store, collected first and committed in one
 * transaction by {@link EvidenceStore#commit}: an import either lands whole or not at all. Blobs
 * are hashed here, so a digest in the store always names the bytes stored under it.
 */
public final class EvidenceBatch {
  /** A blob with its media type; the digest is computed, never taken from the caller. */
  public record Blob(Digest digest, String mediaType, byte[] content) {}

  public record Tag(String repository, String tag, Digest digest) {}

  /** A descriptor in a subject's referrers index. */
  public record Referrer(
      Digest subject, Digest digest, String mediaType, String artifactType, long size, Map<String, String> annotations) {}

  public record Subject(String repository, Digest digest) {}

  /** A policy document (Kyverno YAML as carried), stored under its file name. */
  public record Policy(String name, String content) {}

  private final Map<Digest, Blob> blobs = new LinkedHashMap<>();
  private final Map<String, Tag> tags = new LinkedHashMap<>();
  private final List<Referrer> referrers = new ArrayList<>();
  private final Map<String, Subject> subjects = new LinkedHashMap<>();
  private final List<Revocation> revocations = new ArrayList<>();
  private final Map<String, Policy> policies = new LinkedHashMap<>();

  /** Adds a blob (a manifest or a layer) and returns its digest. */
  public Digest blob(String mediaType, byte[] content) {
    Objects.requireNonNull(mediaType, "mediaType");
    Digest d = Digest.of(content);
    blobs.putIfAbsent(d, new Blob(d, mediaType, content.clone()));
    return d;
  }

  /** Points {@code repository:tag} at {@code digest}; the last call for a tag wins. */
  public EvidenceBatch tag(String repository, String tag, Digest digest) {
    tags.put(repository + ":" + tag, new Tag(requireName(repository), requireName(tag), digest));
    return this;
  }

  /** Lists a manifest (already added as a blob) in {@code subject}'s referrers index. */
  public EvidenceBatch referrer(Digest subject, Digest manifest, String artifactType, Map<String, String> annotations) {
    Blob b = blobs.get(manifest);
    if (b == null) {
      throw new IllegalArgumentException("referrer " + manifest + " must be added as a blob first");
    }
    referrers.add(new Referrer(subject, manifest, b.mediaType(), artifactType, b.content().length, Map.copyOf(annotations)));
    return this;
  }

  /** Records that evidence for {@code digest} in {@code repository} changed with this batch. */
  public EvidenceBatch subject(String repository, Digest digest) {
    subjects.put(repository + "@" + digest, new Subject(requireName(repository), digest));
    return this;
  }

  public EvidenceBatch revoke(Revocation r) {
    revocations.add(Objects.requireNonNull(r));
    return this;
  }

  /** Adds or replaces the policy document named {@code name}. */
  public EvidenceBatch policy(String name, String content) {
    policies.put(requireName(name), new Policy(name, Objects.requireNonNull(content, "content")));
    return this;
  }

  public boolean isEmpty() {
    return blobs.isEmpty() && tags.isEmpty() && referrers.isEmpty() && subjects.isEmpty() && revocations.isEmpty()
        && policies.isEmpty();
  }

  public List<Blob> blobs() {
    return List.copyOf(blobs.values());
  }

  public List<Tag> tags() {
    return List.copyOf(tags.values());
  }

  public List<Referrer> referrers() {
    return Collections.unmodifiableList(referrers);
  }

  public List<Subject> subjects() {
    return List.copyOf(subjects.values());
  }

  public List<Revocation> revocations() {
    return Collections.unmodifiableList(revocations);
  }

  public List<Policy> policies() {
    return List.copyOf(policies.values());
  }

  private static String requireName(String s) {
    if (s == null || s.isBlank()) {
      throw new IllegalArgumentException("repository and tag must not be empty");
    }
    return s;
  }
}
