package dev.airseal.evidence;

import dev.airseal.oci.Digest;
import dev.airseal.oci.Manifest;
import dev.airseal.store.EvidenceStore;
import dev.airseal.verify.oci.ImageSource;
import java.io.IOException;
import java.util.Optional;

/**
 * One repository's signatures as the evidence store holds them, read through the same interface
 * the verifier uses for a registry or a layout: admission verifies stored evidence with exactly the
 * code that verifies it on the wire.
 */
public final class EvidenceImageSource implements ImageSource {
  private final EvidenceStore store;
  private final String repository;

  public EvidenceImageSource(EvidenceStore store, String repository) {
    this.store = store;
    this.repository = repository;
  }

  @Override
  public Optional<Manifest> manifest(String reference) {
    return store.manifest(repository, reference);
  }

  @Override
  public byte[] blob(Digest digest, long maxBytes) throws IOException {
    EvidenceStore.StoredBlob b =
        store.blob(digest).orElseThrow(() -> new IOException("blob " + digest + " is not in the evidence store"));
    if (b.content().length > maxBytes) {
      throw new IOException("blob " + digest + " exceeds " + maxBytes + " bytes");
    }
    return b.content();
  }

  @Override
  public Optional<Manifest> referrers(Digest subject) {
    return store.referrers(subject);
  }
}
