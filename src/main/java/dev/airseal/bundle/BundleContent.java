package dev.airseal.bundle;

import dev.airseal.oci.Digest;
import dev.airseal.store.Revocation;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a bundle will carry, collected on the connected side before it is signed and written:
 * blobs with their roles (evidence in memory, image blobs as streams opened at write time), images
 * and their evidence, and the site-wide material (trust root, policies, revocations, signers).
 */
public final class BundleContent {
  /** Opens an image blob's bytes when the bundle is written. */
  public interface BlobSource {
    InputStream open() throws IOException;
  }

  record Blob(TransferStatement.BlobRef ref, byte[] content, BlobSource source) {}

  private final Map<Digest, Blob> blobs = new LinkedHashMap<>();
  private final List<TransferStatement.Image> images = new ArrayList<>();
  private final List<TransferStatement.SignerSpec> signers = new ArrayList<>();
  private final List<TransferStatement.PolicyRef> policies = new ArrayList<>();
  private final List<Revocation> revocations = new ArrayList<>();
  private final List<String> transferKeys = new ArrayList<>();
  private final List<TransferStatement.UpstreamCheckpoint> checkpoints = new ArrayList<>();
  private Optional<Digest> trustedRoot = Optional.empty();
  private Optional<TransferStatement.UpstreamTuf> tuf = Optional.empty();

  /** Adds an in-memory blob (evidence, image manifests, trust root, policies); returns its digest. */
  public Digest blob(byte[] content, String mediaType, TransferFormat.Role role) {
    Digest d = Digest.of(content);
    blobs.putIfAbsent(d, new Blob(new TransferStatement.BlobRef(d, content.length, mediaType, role),
        content.clone(), null));
    return d;
  }

  /** Adds an image blob read at write time; its digest is checked while it is written. */
  public void imageBlob(Digest d, long size, String mediaType, BlobSource source) {
    blobs.putIfAbsent(d, new Blob(new TransferStatement.BlobRef(d, size, mediaType, TransferFormat.Role.IMAGE),
        null, source));
  }

  public boolean has(Digest d) {
    return blobs.containsKey(d);
  }

  public void image(TransferStatement.Image image) {
    images.add(image);
  }

  public void signer(TransferStatement.SignerSpec s) {
    signers.add(s);
  }

  public void trustedRoot(byte[] json, String mediaType) {
    trustedRoot = Optional.of(blob(json, mediaType, TransferFormat.Role.TRUSTED_ROOT));
  }

  public void policy(String name, byte[] yaml) {
    policies.add(new TransferStatement.PolicyRef(name, blob(yaml, "application/yaml", TransferFormat.Role.POLICY)));
  }

  public void revoke(Revocation r) {
    revocations.add(r);
  }

  public void transferKey(String pem) {
    transferKeys.add(pem);
  }

  /**
   * Carries an upstream log's signed checkpoint (note text) and, when the producer carried one of
   * that log before, the consistency proof from it.
   */
  public void checkpoint(String url, java.time.Instant fetched, String signedNote, Optional<ConsistencyProofBlob> proof) {
    Digest cp = blob(signedNote.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        TransferFormat.CHECKPOINT_MEDIA_TYPE, TransferFormat.Role.CHECKPOINT);
    Optional<Digest> pr = proof.map(p -> blob(p.toJson(), TransferFormat.CONSISTENCY_PROOF_MEDIA_TYPE,
        TransferFormat.Role.CONSISTENCY_PROOF));
    checkpoints.add(new TransferStatement.UpstreamCheckpoint(url, fetched, cp, pr));
  }

  /**
   * Carries an upstream TUF repository's metadata: {@code roots} in increasing version order, and
   * the target {@code targetName} (a trusted root) with its media type.
   */
  public void tuf(List<byte[]> roots, byte[] timestamp, byte[] snapshot, byte[] targets, String targetName,
      byte[] target, String targetMediaType) {
    List<Digest> rs = new ArrayList<>();
    for (byte[] r : roots) {
      rs.add(blob(r, TransferFormat.TUF_ROOT_MEDIA_TYPE, TransferFormat.Role.TUF_ROOT));
    }
    tuf = Optional.of(new TransferStatement.UpstreamTuf(rs,
        blob(timestamp, TransferFormat.TUF_TIMESTAMP_MEDIA_TYPE, TransferFormat.Role.TUF_TIMESTAMP),
        blob(snapshot, TransferFormat.TUF_SNAPSHOT_MEDIA_TYPE, TransferFormat.Role.TUF_SNAPSHOT),
        blob(targets, TransferFormat.TUF_TARGETS_MEDIA_TYPE, TransferFormat.Role.TUF_TARGETS), targetName,
        blob(target, targetMediaType, TransferFormat.Role.TUF_TARGET)));
  }

  List<Blob> blobs() {
    return List.copyOf(blobs.values());
  }

  public List<TransferStatement.Image> images() {
    return List.copyOf(images);
  }

  /** The statement for this content with the given header fields. */
  public TransferStatement statement(String producer, long sequence, java.time.Instant created,
      java.time.Instant expires, Optional<Digest> previous) {
    List<TransferStatement.BlobRef> refs = new ArrayList<>();
    blobs.values().forEach(b -> refs.add(b.ref()));
    return new TransferStatement(producer, sequence, created, expires, previous, refs, images, signers, trustedRoot,
        policies, revocations, transferKeys, checkpoints, tuf);
  }
}
