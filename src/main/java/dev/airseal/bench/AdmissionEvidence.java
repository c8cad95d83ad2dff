package dev.airseal.bench;

import dev.airseal.log.rekor.RekorClient;
import dev.airseal.oci.Digest;
import dev.airseal.oci.ImageReference;
import dev.airseal.oci.Manifest;
import dev.airseal.signing.Signer;
import dev.airseal.signing.cosign.Annotations;
import dev.airseal.signing.cosign.ImageSigner;
import dev.airseal.signing.cosign.RekorBundleAnnotation;
import dev.airseal.signing.cosign.SignatureManifest;
import dev.airseal.signing.cosign.SimpleSigning;
import dev.airseal.signing.soft.KeyFiles;
import dev.airseal.store.EvidenceBatch;
import dev.airseal.store.EvidenceStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What the admission benches admit: images signed with one key and logged in the service's own
 * log, their evidence filed straight into the service's database, and the Kyverno policy that
 * requires that key for every image of {@link #REPO}.
 */
public final class AdmissionEvidence {
  /** The repository of the benched images; the policy covers every repository it prefixes. */
  public static final String REPO = "bench.local/team/app";

  private AdmissionEvidence() {}

  /** A ClusterPolicy that admits a pod only if each image of {@link #REPO}* is signed by {@code key}. */
  public static String policy(Signer key) throws IOException {
    StringBuilder pem = new StringBuilder();
    for (String l : KeyFiles.publicKeyPem(key.publicKey()).strip().split("\n")) {
      pem.append("                ").append(l).append('\n');
    }
    return "apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n  name: bench\nspec:\n"
        + "  validationFailureAction: Enforce\n  webhookTimeoutSeconds: 10\n  rules:\n  - name: signed\n"
        + "    match:\n      any:\n      - resources:\n          kinds: [Pod]\n    verifyImages:\n"
        + "    - imageReferences: [\"" + REPO + "*\"]\n      mutateDigest: false\n      verifyDigest: true\n"
        + "      attestors:\n      - entries:\n        - keys:\n            publicKeys: |-\n" + pem;
  }

  /**
   * {@code n} images of {@link #REPO} signed with {@code key} as cosign signs them (payload,
   * signature, Rekor hashedrekord entry with its SET from the service's own log at {@code rekor}),
   * filed in {@code store} in batches of 500 images; their digests in order.
   */
  public static List<Digest> signAll(Signer key, RekorClient rekor, EvidenceStore store, int n) throws Exception {
    ImageReference repo = ImageReference.parse(REPO + ":x");
    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<Future<EvidenceBatch>> parts = new ArrayList<>();
    List<Digest> digests = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Digest d = Digest.of(("bench image " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8));
      digests.add(d);
      parts.add(pool.submit(() -> {
        byte[] payload = SimpleSigning.payload(repo.withDigest(d), d, Map.of());
        byte[] sig = key.sign(payload);
        Map<String, String> ann = new LinkedHashMap<>();
        ann.put(Annotations.SIGNATURE, Base64.getEncoder().encodeToString(sig));
        ann.put(Annotations.BUNDLE, RekorBundleAnnotation.from(rekor.upload(ImageSigner.hashedRekord(key, payload, sig)).entry()));
        SignatureManifest m = SignatureManifest.empty();
        SignatureManifest.Layer layer = SignatureManifest.Layer.of(SimpleSigning.MEDIA_TYPE, payload, ann);
        m.add(layer);
        EvidenceBatch b = new EvidenceBatch();
        b.blob(SimpleSigning.MEDIA_TYPE, payload);
        Digest man = b.blob(Manifest.OCI_MANIFEST, m.manifest(m.config()));
        return b.tag(repo.context(), d.cosignTagPrefix() + ".sig", man).subject(repo.context(), d);
      }));
    }
    EvidenceBatch batch = new EvidenceBatch();
    int inBatch = 0;
    for (Future<EvidenceBatch> f : parts) {
      EvidenceBatch one = f.get();
      for (EvidenceBatch.Blob bl : one.blobs()) {
        batch.blob(bl.mediaType(), bl.content());
      }
      for (EvidenceBatch.Tag t : one.tags()) {
        batch.tag(t.repository(), t.tag(), t.digest());
      }
      for (EvidenceBatch.Subject sub : one.subjects()) {
        batch.subject(sub.repository(), sub.digest());
      }
      if (++inBatch == 500) {
        store.commit(batch);
        batch = new EvidenceBatch();
        inBatch = 0;
      }
    }
    pool.shutdown();
    if (!batch.isEmpty()) {
      store.commit(batch);
    }
    return digests;
  }
}
