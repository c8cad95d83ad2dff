package dev.airseal.admission;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airseal.log.rekor.RekorClient;
import dev.airseal.oci.Digest;
import dev.airseal.oci.ImageReference;
import dev.airseal.oci.Manifest;
import dev.airseal.oci.RegistryClient;
import dev.airseal.oci.RegistryOptions;
import dev.airseal.signing.Signer;
import dev.airseal.signing.cosign.ImageAttester;
import dev.airseal.signing.cosign.ImageSigner;
import dev.airseal.store.EvidenceBatch;
import dev.airseal.verify.oci.LayoutImageSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Signs and attests images with the project's own cosign-format signer, either into the site
 * registry (where admission finds them through the mirror) or into an OCI layout whose content
 * becomes an evidence-store batch (as a local signing or an import would file it).
 */
final class SignedImages {
  private final RegistryClient registry = new RegistryClient(new RegistryOptions(true, false, Optional.empty()));
  private final RekorClient rekor;

  SignedImages(String logUrl) {
    this.rekor = new RekorClient(logUrl, Optional.empty());
  }

  /** Signs {@code image} (by digest) into the registry's {@code .sig} tag. */
  void signInRegistry(ImageReference image, Signer key) throws Exception {
    new ImageSigner(registry).sign(image, key, new ImageSigner.Options(Optional.of(rekor), true, Map.of()));
  }

  /** Signs {@code image} into a layout only, and returns the batch filing it under its repository. */
  EvidenceBatch signToStore(ImageReference image, Signer key, String tag) throws Exception {
    Path layout = Files.createTempDirectory("sig-layout-");
    new ImageSigner(registry).sign(image, key, new ImageSigner.Options(Optional.of(rekor), false, Map.of(), Optional.of(layout)));
    return batch(layout, image, image.digest().cosignTagPrefix() + ".sig", new EvidenceBatch()).tag(image.context(), tag, image.digest());
  }

  /** Attests {@code image} into a layout and adds the {@code .att} to {@code b}. */
  EvidenceBatch attestToStore(ImageReference image, Signer key, String predicateType, JsonNode predicate, EvidenceBatch b)
      throws Exception {
    Path layout = Files.createTempDirectory("att-layout-");
    new ImageAttester(registry).attest(image, key, predicateType, predicate, Optional.of(rekor), false, Optional.of(layout));
    return batch(layout, image, image.digest().cosignTagPrefix() + ".att", b);
  }

  private static EvidenceBatch batch(Path layout, ImageReference image, String tag, EvidenceBatch b) throws Exception {
    LayoutImageSource src = LayoutImageSource.open(layout);
    Manifest m = src.manifest(tag).orElseThrow(() -> new IllegalStateException(tag + " not in " + layout));
    for (JsonNode l : Reviews.JSON.readTree(m.bytes()).path("layers")) {
      Digest d = Digest.parse(l.path("digest").asText());
      b.blob(l.path("mediaType").asText(), src.blob(d, 1 << 20));
    }
    Digest stored = b.blob(m.mediaType(), m.bytes());
    return b.tag(image.context(), tag, stored).subject(image.context(), image.digest());
  }
}
