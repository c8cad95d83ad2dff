package dev.airseal.verify;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A Sigstore bundle (protobuf-specs {@code dev.sigstore.bundle.v1.Bundle}) as read by {@link
 * BundleReader}: every field decoded, nothing yet verified.
 *
 * @param minorVersion 1, 2 or 3 for bundle v0.1, v0.2, v0.3
 */
record Bundle(
    String mediaType,
    int minorVersion,
    Material material,
    List<TlogEntry> tlogEntries,
    List<byte[]> rfc3161Timestamps,
    Content content) {

  Bundle {
    tlogEntries = List.copyOf(tlogEntries);
    rfc3161Timestamps = List.copyOf(rfc3161Timestamps);
  }

  /** The verification material: who signed. */
  sealed interface Material permits KeyHint, Certificates {}

  /** {@code publicKey}: a hint only; the key itself comes from the policy. */
  record KeyHint(String hint) implements Material {}

  /** {@code x509CertificateChain} or {@code certificate}: leaf first. */
  record Certificates(List<X509Certificate> chain) implements Material {
    Certificates {
      chain = List.copyOf(chain);
    }

    X509Certificate leaf() {
      return chain.get(0);
    }
  }

  /** What was signed. */
  sealed interface Content permits MessageSignature, Envelope {}

  /**
   * {@code messageSignature}: a signature over the artifact.
   *
   * @param digestAlgorithm JCA name of the message digest's algorithm, or null without a digest
   * @param digest the artifact digest the bundle claims, or null
   */
  record MessageSignature(String digestAlgorithm, byte[] digest, byte[] signature)
      implements Content {}

  /** {@code dsseEnvelope}: signatures over PAE(payloadType, payload). */
  record Envelope(String payloadType, byte[] payload, List<byte[]> signatures) implements Content {
    Envelope {
      signatures = List.copyOf(signatures);
    }
  }

  /** {@code TransparencyLogEntry}. */
  record TlogEntry(
      long logIndex,
      byte[] logId,
      String kind,
      String version,
      long integratedTime,
      byte[] signedEntryTimestamp,
      InclusionProofData inclusionProof,
      byte[] canonicalizedBody) {

    /** Rekor v2 logs only the 0.0.2 kinds; intoto 0.0.2 is a Rekor v1 kind. */
    boolean isRekorV2() {
      return "0.0.2".equals(version) && ("hashedrekord".equals(kind) || "dsse".equals(kind));
    }
  }

  /** {@code InclusionProof}; {@code checkpoint} is the signed note text, or null when absent. */
  record InclusionProofData(
      long logIndex, byte[] rootHash, long treeSize, List<byte[]> hashes, String checkpoint) {
    InclusionProofData {
      hashes = List.copyOf(hashes);
    }
  }
}
