package dev.airseal.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airseal.oci.Digest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the signatures and attestations of a {@code cosign save} layout are about: the image digest
 * and repository their signed payloads name (simple signing {@code critical.image} and {@code
 * critical.identity}; in-toto {@code subject}). A layout does not record its repository, and may
 * leave the image out; the payloads are the only place that says which image the evidence is for.
 */
final class CosignSubjects {
  static final String SIMPLE_SIGNING = "application/vnd.dev.cosign.simplesigning.v1+json";
  static final String DSSE = "application/vnd.dsse.envelope.v1+json";
  private final Path dir;
  private final Set<String> digests = new TreeSet<>();
  private final Set<String> repositories = new TreeSet<>();

  CosignSubjects(Path dir) {
    this.dir = dir;
  }

  void fromSignatureLayer(byte[] layer, String mediaType) throws IOException {
    if (!SIMPLE_SIGNING.equals(mediaType)) {
      return;
    }
    JsonNode critical = CosignLayout.json(layer, dir + ": signature payload").path("critical");
    add(critical.path("image").path("docker-manifest-digest").asText(""),
        critical.path("identity").path("docker-reference").asText(""));
  }

  void fromAttestationLayer(byte[] layer, String mediaType) throws IOException {
    if (!DSSE.equals(mediaType)) {
      return;
    }
    JsonNode env = CosignLayout.json(layer, dir + ": attestation envelope");
    byte[] payload;
    try {
      payload = Base64.getDecoder().decode(env.path("payload").asText(""));
    } catch (IllegalArgumentException e) {
      throw new IOException(dir + ": attestation envelope payload is not base64");
    }
    for (JsonNode s : CosignLayout.json(payload, dir + ": attestation statement").path("subject")) {
      String hex = s.path("digest").path("sha256").asText("");
      add(hex.isEmpty() ? "" : "sha256:" + hex, s.path("name").asText(""));
    }
  }

  private void add(String digest, String repository) {
    if (!digest.isEmpty()) {
      digests.add(digest);
    }
    if (!repository.isEmpty()) {
      // A reference may carry a tag or digest; the repository is what precedes it.
      String r = repository.contains("@") ? repository.substring(0, repository.indexOf('@')) : repository;
      int colon = r.lastIndexOf(':');
      repositories.add(colon > r.lastIndexOf('/') ? r.substring(0, colon) : r);
    }
  }

  /** The image digest: the layout's image entry, which the payloads must agree with, else the one digest they name. */
  Digest imageDigest(Optional<Digest> fromLayout) throws IOException {
    if (fromLayout.isPresent()) {
      if (!digests.isEmpty() && !digests.equals(Set.of(fromLayout.get().toString()))) {
        throw new IOException(dir + ": the signed payloads are about " + digests + ", the layout's image is "
            + fromLayout.get());
      }
      return fromLayout.get();
    }
    if (digests.size() != 1) {
      throw new IOException(dir + " holds no image entry and its signed payloads name "
          + (digests.isEmpty() ? "no image digest" : "several: " + digests));
    }
    return CosignLayout.digest(digests.iterator().next(), dir + ": signed payload");
  }

  /** The one repository the payloads name. */
  String repository() throws IOException {
    if (repositories.size() != 1) {
      throw new IOException(dir + ": the signed payloads name " + (repositories.isEmpty() ? "no repository"
          : "several repositories " + repositories) + "; give it as --cosign-dir REPOSITORY=" + dir);
    }
    return repositories.iterator().next();
  }
}
