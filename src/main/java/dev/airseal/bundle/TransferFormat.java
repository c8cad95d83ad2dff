package dev.airseal.bundle;

import dev.airseal.oci.Digest;
import java.nio.charset.StandardCharsets;

/** Names and media types of the transfer bundle format (docs/bundle-format.md). */
public final class TransferFormat {
  /** DSSE payload type of the transfer statement. */
  public static final String PAYLOAD_TYPE = "application/vnd.dev.airseal.transfer.v1+json";
  /** {@code _type} of the statement. */
  public static final String STATEMENT_TYPE = "https://airseal.dev/transfer/v1";
  /** artifactType of the OCI manifest that holds the signed envelope. */
  public static final String ARTIFACT_TYPE = "application/vnd.dev.airseal.transfer.v1";
  /** Media type of the envelope layer. */
  public static final String ENVELOPE_MEDIA_TYPE = "application/vnd.dev.airseal.transfer.v1+dsse+json";
  public static final String EMPTY_MEDIA_TYPE = "application/vnd.oci.empty.v1+json";
  /**
   * The transfer manifest's config: a fixed, empty image config (not the OCI empty descriptor,
   * which {@code skopeo inspect} refuses as "image-specific operation on artifact").
   */
  public static final String CONFIG_MEDIA_TYPE = "application/vnd.oci.image.config.v1+json";
  public static final byte[] CONFIG =
      "{\"architecture\":\"\",\"os\":\"\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"
          .getBytes(StandardCharsets.US_ASCII);
  public static final Digest CONFIG_DIGEST = Digest.of(CONFIG);
  public static final String REF_NAME = "airseal-transfer";
  public static final String OCI_LAYOUT = "{\"imageLayoutVersion\":\"1.0.0\"}";
  /** An upstream log's checkpoint: a c2sp.org/signed-note whose text is a c2sp.org/tlog-checkpoint. */
  public static final String CHECKPOINT_MEDIA_TYPE = "application/vnd.dev.airseal.tlog-checkpoint.v1";
  /** A consistency proof between two sizes of an upstream log ({@link ConsistencyProofBlob}). */
  public static final String CONSISTENCY_PROOF_MEDIA_TYPE =
      "application/vnd.dev.airseal.tlog-consistency-proof.v1+json";

  /** Upstream TUF metadata, as the upstream repository serves it (docs/bundle-format.md, "Upstream TUF"). */
  public static final String TUF_ROOT_MEDIA_TYPE = "application/vnd.dev.airseal.tuf.root.v1+json";
  public static final String TUF_TIMESTAMP_MEDIA_TYPE = "application/vnd.dev.airseal.tuf.timestamp.v1+json";
  public static final String TUF_SNAPSHOT_MEDIA_TYPE = "application/vnd.dev.airseal.tuf.snapshot.v1+json";
  public static final String TUF_TARGETS_MEDIA_TYPE = "application/vnd.dev.airseal.tuf.targets.v1+json";

  /** What a carried blob is for; decides whether the reader keeps it in memory or streams it. */
  public enum Role {
    /** Signature/attestation manifests and layers, referrer manifests and Sigstore bundles. */
    EVIDENCE,
    /** The image itself (manifests, configs, layers): digest-checked while streaming, never held. */
    IMAGE,
    /** A trusted root document. */
    TRUSTED_ROOT,
    /** A Kyverno policy document. */
    POLICY,
    /** An upstream log's signed checkpoint. */
    CHECKPOINT,
    /** A consistency proof from the producer's previous checkpoint of an upstream log. */
    CONSISTENCY_PROOF,
    /** An upstream TUF root version. */
    TUF_ROOT,
    /** The upstream TUF timestamp. */
    TUF_TIMESTAMP,
    /** The upstream TUF snapshot. */
    TUF_SNAPSHOT,
    /** The upstream TUF top-level targets. */
    TUF_TARGETS,
    /** The upstream TUF target the site uses: a trusted root. */
    TUF_TARGET;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    public static Role fromWire(String s) {
      for (Role r : values()) {
        if (r.wire().equals(s)) {
          return r;
        }
      }
      throw new IllegalArgumentException("unknown blob role \"" + s + "\" (evidence, image, trusted-root, policy, checkpoint,"
          + " consistency-proof, tuf-root, tuf-timestamp, tuf-snapshot, tuf-targets, tuf-target)");
    }
  }

  private TransferFormat() {}
}
