package dev.airseal.verify.oci;

import dev.airseal.oci.Digest;
import dev.airseal.oci.ImageReference;
import dev.airseal.oci.Manifest;
import dev.airseal.oci.RegistryClient;
import java.io.IOException;
import java.util.Optional;

/**
 * Where an image's signatures are read from: one repository of a registry (or, later, the
 * evidence store). Manifests and blobs asked for by digest must be checked against it by the
 * source; the verifier trusts nothing else about what it is served.
 */
public interface ImageSource {
  /** A manifest by tag or digest; empty when there is none. */
  Optional<Manifest> manifest(String reference) throws IOException;

  /** A blob by digest, at most {@code maxBytes}. */
  byte[] blob(Digest digest, long maxBytes) throws IOException;

  /** The referrers index of {@code subject} (API or tag schema); empty when there is none. */
  Optional<Manifest> referrers(Digest subject) throws IOException;

  /** The repository of {@code image} in a registry, through {@code client}. */
  static ImageSource registry(RegistryClient client, ImageReference image) {
    return new ImageSource() {
      @Override
      public Optional<Manifest> manifest(String reference) throws IOException {
        return client.manifest(image, reference);
      }

      @Override
      public byte[] blob(Digest digest, long maxBytes) throws IOException {
        return client.blob(image, digest, maxBytes);
      }

      @Override
      public Optional<Manifest> referrers(Digest subject) throws IOException {
        return client.referrers(image, subject);
      }
    };
  }
}
