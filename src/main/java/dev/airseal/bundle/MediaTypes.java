package dev.airseal.bundle;

import dev.airseal.oci.Manifest;
import java.util.List;
import java.util.Set;

/** The media types a bundle may carry, by role; anything else is refused, not ignored. */
final class MediaTypes {
  static final Set<String> MANIFESTS = Set.of(
      Manifest.OCI_MANIFEST, Manifest.OCI_INDEX, Manifest.DOCKER_MANIFEST, Manifest.DOCKER_LIST);
  private static final List<String> EVIDENCE = List.of(
      "application/vnd.oci.", "application/vnd.docker.", "application/vnd.dev.cosign.",
      "application/vnd.dev.sigstore.bundle", "application/vnd.dsse.envelope.", "application/vnd.in-toto");
  private static final List<String> IMAGE = List.of("application/vnd.oci.", "application/vnd.docker.");
  private static final List<String> TRUSTED_ROOT = List.of("application/vnd.dev.sigstore.trustedroot");
  private static final List<String> POLICY = List.of("application/yaml", "application/x-yaml", "text/yaml");
  private static final List<String> CHECKPOINT = List.of(TransferFormat.CHECKPOINT_MEDIA_TYPE);
  private static final List<String> CONSISTENCY_PROOF = List.of(TransferFormat.CONSISTENCY_PROOF_MEDIA_TYPE);

  private MediaTypes() {}

  static void check(TransferStatement.BlobRef b) throws BundleFormatException {
    List<String> allowed = switch (b.role()) {
      case EVIDENCE -> EVIDENCE;
      case IMAGE -> IMAGE;
      case TRUSTED_ROOT -> TRUSTED_ROOT;
      case POLICY -> POLICY;
      case CHECKPOINT -> CHECKPOINT;
      case CONSISTENCY_PROOF -> CONSISTENCY_PROOF;
      case TUF_ROOT -> List.of(TransferFormat.TUF_ROOT_MEDIA_TYPE);
      case TUF_TIMESTAMP -> List.of(TransferFormat.TUF_TIMESTAMP_MEDIA_TYPE);
      case TUF_SNAPSHOT -> List.of(TransferFormat.TUF_SNAPSHOT_MEDIA_TYPE);
      case TUF_TARGETS -> List.of(TransferFormat.TUF_TARGETS_MEDIA_TYPE);
      case TUF_TARGET -> TRUSTED_ROOT;
    };
    String t = b.mediaType();
    // Families are matched by prefix (versions, parameters); our own formats exactly.
    boolean exact = switch (b.role()) {
      case EVIDENCE, IMAGE, TRUSTED_ROOT, POLICY, TUF_TARGET -> false;
      default -> true;
    };
    if (t.length() > 255 || allowed.stream().noneMatch(exact ? t::equals : t::startsWith)) {
      throw new BundleFormatException("blob " + b.digest() + " has media type \"" + t + "\", unknown for role "
          + b.role().wire());
    }
  }
}
