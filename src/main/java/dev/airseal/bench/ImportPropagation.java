package dev.airseal.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airseal.bundle.BundleContent;
import dev.airseal.bundle.BundleWriter;
import dev.airseal.oci.Digest;
import dev.airseal.oci.ImageReference;
import dev.airseal.signing.Signer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An evidence import on one replica honoured by another. Each round makes a new signed image, shows
 * that replica B denies a pod running it (and so caches that verdict), imports the image's evidence
 * as a transfer bundle on replica A, and times from A's answer (the import committed) until B
 * admits the pod: B's cached denial must be dropped on a change it only hears about.
 */
final class ImportPropagation {
  /** Producer name of the bench's transfer bundles. */
  static final String PRODUCER = "bench";

  private static final Duration GIVE_UP = Duration.ofSeconds(30);

  /** Delays from A's import answer until B's first allow, one per round, in milliseconds. */
  record Result(double firstMillis, List<Double> millis) {
    double median() {
      List<Double> s = millis.stream().sorted().toList();
      return s.get(s.size() / 2);
    }

    double max() {
      return millis.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }
  }

  private final SyntheticEvidence evidence;
  private final Signer transferKey;
  private final String repository;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private long sequence;
  private Optional<Digest> previous = Optional.empty();

  /**
   * @param transferKey a key the replicas trust for producer {@link #PRODUCER}
   * @param repository images the replicas' policy requires {@code evidence.signingKey} for
   */
  ImportPropagation(SyntheticEvidence evidence, Signer transferKey, String repository) {
    this.evidence = evidence;
    this.transferKey = transferKey;
    this.repository = repository;
  }

  /**
   * The first import also carries the upstream log's trust root (which replicas re-read every
   * second, so its delay is not the evidence's); {@code rounds} imports of one image each follow.
   */
  Result measure(URI importOnA, AdmissionLoad.Target admitOnB, int rounds) throws Exception {
    double first = round(importOnA, admitOnB, true);
    List<Double> millis = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      millis.add(round(importOnA, admitOnB, false));
    }
    return new Result(first, millis);
  }

  private double round(URI a, AdmissionLoad.Target b, boolean withTrustRoot) throws Exception {
    ImageReference image = SyntheticEvidence.image(repository, (int) sequence);
    byte[] pod = AdmissionLoad.review(repository, List.of(image.digest()), "imported-" + sequence);
    if (b.allows(pod)) {
      throw new IllegalStateException("replica B admitted " + image + " before its evidence was imported");
    }
    BundleContent c = new BundleContent();
    evidence.add(c, image, 1, 0, List.of("imported-" + sequence));
    c.signer(evidence.signerSpec());
    if (withTrustRoot) {
      c.trustedRoot(evidence.trustedRoot().toJson(), evidence.trustedRoot().mediaType());
    }
    sequence++;
    ByteArrayOutputStream bundle = new ByteArrayOutputStream();
    BundleWriter.Written w = BundleWriter.write(c, c.statement(PRODUCER, sequence, Instant.now().minusSeconds(5),
        Instant.now().plusSeconds(3600), previous), transferKey, bundle, false);
    previous = Optional.of(w.bundleDigest());
    JsonNode report = BundleUpload.post(http, a, HttpRequest.BodyPublishers.ofByteArray(bundle.toByteArray()),
        Duration.ofMinutes(1));
    long imported = System.nanoTime();
    if (!report.path("images").path(0).path("accepted").asBoolean()) {
      throw new IOException("replica A did not accept the evidence of " + image + ": " + report);
    }
    while (!b.allows(pod)) {
      if (System.nanoTime() - imported > GIVE_UP.toNanos()) {
        throw new IllegalStateException("replica B still denies " + image + " " + GIVE_UP.toSeconds()
            + " s after replica A imported its evidence");
      }
      Thread.sleep(2);
    }
    return (System.nanoTime() - imported) / 1e6;
  }
}
