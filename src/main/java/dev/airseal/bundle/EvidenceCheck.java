package dev.airseal.bundle;

import dev.airseal.oci.Digest;
import dev.airseal.store.EvidenceBatch;
import dev.airseal.trust.TrustedRoot;
import dev.airseal.verify.Reason;
import dev.airseal.verify.VerificationPolicy;
import dev.airseal.verify.oci.ImageVerification;
import dev.airseal.verify.oci.ImageVerifier;
import dev.airseal.verify.oci.SignatureResult;
import dev.airseal.verify.x509.IdentityPolicy;
import java.io.IOException;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Puts every signature, attestation and Sigstore bundle in a transfer bundle through the
 * verification engine, against the signers the producer names and the site's trust root. An image
 * is accepted when each kind of evidence it carries has at least one verified item (cosign's rule);
 * what failed is reported per image. Accepted images become one evidence batch.
 */
public final class EvidenceCheck {
  /** The verdict on one image's evidence. */
  public record ImageReport(
      String repository, Digest digest, boolean accepted, int signatures, int attestations, List<String> problems) {}

  public record Result(List<ImageReport> images, EvidenceBatch batch) {
    public List<ImageReport> excluded() {
      return images.stream().filter(i -> !i.accepted()).toList();
    }
  }

  private EvidenceCheck() {}

  /** Verifies on {@code threads} threads; the batch lists images in statement order. */
  public static Result verify(OpenedBundle bundle, TrustedRoot root, Instant now, int threads) {
    return verify(bundle, root, now, VerificationPolicy.DEFAULT_CLOCK_SKEW, threads);
  }

  /** As above, tolerating log integration times up to {@code clockSkew} after {@code now}. */
  public static Result verify(
      OpenedBundle bundle, TrustedRoot root, Instant now, java.time.Duration clockSkew, int threads) {
    TransferStatement s = bundle.statement();
    Map<Digest, TransferStatement.BlobRef> listed = new LinkedHashMap<>();
    s.blobs().forEach(b -> listed.put(b.digest(), b));
    List<ImageVerifier.Options> signers = new ArrayList<>();
    List<String> signerProblems = new ArrayList<>();
    for (TransferStatement.SignerSpec sp : s.signers()) {
      try {
        signers.add(new ImageVerifier.Options(policy(sp).at(now).withClockSkew(clockSkew), root, sp.ignoreTlog()));
      } catch (IOException | IllegalArgumentException e) {
        signerProblems.add("signer " + sp.key().map(k -> "key").orElse(sp.identity().orElse("identity"))
            + " is unusable: " + e.getMessage());
      }
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
    List<ImageReport> reports = new ArrayList<>();
    List<BundleImageSource> sources = new ArrayList<>();
    try {
      List<Future<ImageReport>> futures = new ArrayList<>();
      for (TransferStatement.Image image : s.images()) {
        BundleImageSource src = new BundleImageSource(bundle, image, listed);
        sources.add(src);
        futures.add(pool.submit(() -> check(image, src, signers, signerProblems)));
      }
      for (Future<ImageReport> f : futures) {
        reports.add(f.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while verifying", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("verification failed unexpectedly", e.getCause());
    } finally {
      pool.shutdownNow();
    }
    EvidenceBatch batch = new EvidenceBatch();
    for (int i = 0; i < reports.size(); i++) {
      if (reports.get(i).accepted()) {
        add(batch, bundle, s.images().get(i), sources.get(i), listed);
      }
    }
    for (TransferStatement.PolicyRef p : s.policies()) {
      batch.policy(p.name(), new String(bundle.blob(p.digest()).orElseThrow(), java.nio.charset.StandardCharsets.UTF_8));
    }
    s.revocations().forEach(batch::revoke);
    return new Result(reports, batch);
  }

  private static VerificationPolicy policy(TransferStatement.SignerSpec sp) throws IOException {
    if (sp.key().isPresent()) {
      PublicKey k = TransferKey.parsePem(sp.key().get());
      return VerificationPolicy.forKey(k);
    }
    return VerificationPolicy.forIdentity(new IdentityPolicy(sp.identity().orElse(null),
        sp.identityRegExp().orElse(null), sp.issuer().orElse(null), sp.issuerRegExp().orElse(null), Map.of()));
  }

  private static ImageReport check(TransferStatement.Image image, BundleImageSource src,
      List<ImageVerifier.Options> signers, List<String> signerProblems) {
    List<String> problems = new ArrayList<>(signerProblems);
    if (signers.isEmpty()) {
      problems.add("the statement names no usable signer, so no evidence can be verified");
      return new ImageReport(image.repository(), image.digest(), false, 0, 0, problems);
    }
    Kind sigs = kind(signers, o -> new ImageVerifier(src, o).verifySignatures(image.digest()));
    Kind atts = kind(signers, o -> new ImageVerifier(src, o).verifyAttestations(image.digest(), Optional.empty()));
    boolean any = sigs.found > 0 || atts.found > 0;
    boolean ok = any && (sigs.found == 0 || sigs.verified > 0) && (atts.found == 0 || atts.verified > 0);
    if (!any) {
      problems.add("carries no signatures or attestations");
    }
    if (sigs.found > 0 && sigs.verified == 0) {
      problems.add("none of " + sigs.found + " signatures verified");
    }
    if (atts.found > 0 && atts.verified == 0) {
      problems.add("none of " + atts.found + " attestations verified");
    }
    problems.addAll(sigs.failures);
    problems.addAll(atts.failures);
    return new ImageReport(image.repository(), image.digest(), ok, sigs.verified, atts.verified, problems);
  }

  private static final class Kind {
    int found;
    int verified;
    final List<String> failures = new ArrayList<>();
  }

  // An item verifies when any named signer verifies it; an item no signer verifies is reported
  // with the reasons the first signer gave.
  private static Kind kind(List<ImageVerifier.Options> signers, Function<ImageVerifier.Options, ImageVerification> run) {
    Map<String, SignatureResult> first = new LinkedHashMap<>();
    Map<String, Boolean> passed = new LinkedHashMap<>();
    for (ImageVerifier.Options o : signers) {
      for (SignatureResult r : run.apply(o).signatures()) {
        first.putIfAbsent(r.source(), r);
        passed.merge(r.source(), r.verdict().allowed(), Boolean::logicalOr);
      }
    }
    Kind k = new Kind();
    k.found = first.size();
    for (Map.Entry<String, Boolean> e : passed.entrySet()) {
      if (e.getValue()) {
        k.verified++;
      } else {
        StringBuilder why = new StringBuilder(e.getKey()).append(": ");
        List<Reason> reasons = first.get(e.getKey()).verdict().reasons();
        for (int i = 0; i < reasons.size(); i++) {
          why.append(i == 0 ? "" : "; ").append(reasons.get(i).check()).append(": ").append(reasons.get(i).evidence());
        }
        k.failures.add(why.toString());
      }
    }
    return k;
  }

  private static void add(EvidenceBatch batch, OpenedBundle bundle, TransferStatement.Image image,
      BundleImageSource src, Map<Digest, TransferStatement.BlobRef> listed) {
    for (Digest d : src.blobs()) {
      bundle.blob(d).ifPresent(b -> batch.blob(listed.containsKey(d) ? listed.get(d).mediaType()
          : TransferFormat.EMPTY_MEDIA_TYPE, b));
    }
    String repo = image.repository();
    image.signatures().ifPresent(d -> batch.tag(repo, image.digest().cosignTagPrefix() + ".sig", d));
    image.attestations().ifPresent(d -> batch.tag(repo, image.digest().cosignTagPrefix() + ".att", d));
    image.tags().forEach(t -> batch.tag(repo, t, image.digest()));
    for (Digest r : image.referrers()) {
      BundleImageSource.ReferrerInfo info = BundleImageSource.ReferrerInfo.of(bundle.blob(r).orElseThrow());
      batch.referrer(image.digest(), r, info.artifactType(), info.annotations());
    }
    batch.subject(repo, image.digest());
  }
}
