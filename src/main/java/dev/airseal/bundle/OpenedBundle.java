package dev.airseal.bundle;

import dev.airseal.oci.Digest;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A bundle read to its end with every blob checked: the signed statement, the non-image blobs in
 * memory, and figures about the image blobs that were streamed.
 *
 * @param fileDigest SHA-256 of the file as received
 * @param imageNanos time spent reading and hashing image blobs
 * @param spool where image blobs were written, if anywhere
 */
public record OpenedBundle(
    TransferStatement statement,
    byte[] statementBytes,
    byte[] envelope,
    TransferKey signer,
    Map<Digest, byte[]> blobs,
    String fileDigest,
    long fileSize,
    long imageBytes,
    long imageNanos,
    Optional<Path> spool) {

  public OpenedBundle {
    blobs = Map.copyOf(blobs);
  }

  public Digest bundleDigest() {
    return TransferStatement.bundleDigest(statementBytes);
  }

  /** A non-image blob (or an image manifest) by digest. */
  public Optional<byte[]> blob(Digest d) {
    return Optional.ofNullable(blobs.get(d));
  }
}
