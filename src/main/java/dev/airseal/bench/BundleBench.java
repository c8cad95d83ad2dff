package dev.airseal.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airseal.bundle.BundleContent;
import dev.airseal.bundle.BundleWriter;
import dev.airseal.bundle.TransferKey;
import dev.airseal.bundle.TransferStatement;
import dev.airseal.oci.Digest;
import dev.airseal.signing.SignatureAlgorithm;
import dev.airseal.signing.Signer;
import dev.airseal.signing.soft.KeyGeneration;
import dev.airseal.signing.soft.SoftwareSigner;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code bench bundle}: creates a bundle of synthetic signed images (signatures and attestations
 * with SETs from an upstream log, plus one carried image with a large layer), then imports it into
 * a fresh service process with a small heap, timing the upload-to-commit of the import (transfer
 * signature, every blob digest, every signature and SET, one transaction).
 */
public final class BundleBench {
  public record Options(Path jar, int images, int signaturesPerImage, int attestations, int imageMiB, String heap) {}

  private BundleBench() {}

  public static List<Figure> run(Options o, PrintStream out) throws Exception {
    Path work = Files.createTempDirectory("airseal-bundle-bench-");
    try {
      SyntheticEvidence ev = new SyntheticEvidence();
      Signer transfer = new SoftwareSigner(KeyGeneration.generate(SignatureAlgorithm.PKIX_ECDSA_P256_SHA_256),
          SignatureAlgorithm.PKIX_ECDSA_P256_SHA_256);
      BundleContent c = new BundleContent();
      long t0 = System.nanoTime();
      for (int i = 0; i < o.images(); i++) {
        ev.add(c, SyntheticEvidence.image("registry.bench/team/app" + (i % 20), i), o.signaturesPerImage(),
            i < o.attestations() ? 1 : 0, List.of("b" + i));
      }
      carriedImage(c, ev, work, o.imageMiB());
      c.signer(ev.signerSpec());
      c.trustedRoot(ev.trustedRoot().toJson(), ev.trustedRoot().mediaType());
      long signNanos = System.nanoTime() - t0;
      Path file = work.resolve("bench.tar");
      long t1 = System.nanoTime();
      TransferStatement s = c.statement("bench", 1, Instant.now().minusSeconds(5), Instant.now().plusSeconds(3600),
          Optional.empty());
      try (OutputStream fileOut = Files.newOutputStream(file)) {
        BundleWriter.write(c, s, transfer, fileOut, false);
      }
      long writeNanos = System.nanoTime() - t1;
      long size = Files.size(file);
      out.printf("bundle: %d images, %d signatures, %d attestations, 1 carried image of %d MiB; %.1f MB on disk%n",
          o.images() + 1, o.images() * o.signaturesPerImage() + 1, Math.min(o.attestations(), o.images()),
          o.imageMiB(), size / 1e6);
      out.printf("making the evidence (signing, SETs): %.1f s; writing the bundle: %.2f s%n", signNanos / 1e9,
          writeNanos / 1e9);
      // The reader alone, from disk, in this process: the digest rate without the upload in the way.
      dev.airseal.bundle.OpenedBundle local;
      try (java.io.InputStream in = Files.newInputStream(file)) {
        local = dev.airseal.bundle.BundleReader.open(in, dev.airseal.bundle.BundleLimits.defaults(),
            List.of(new TransferKey("bench", transfer.publicKey()))).readBlobs(Optional.empty());
      }
      double localMBps = local.imageBytes() / 1e6 / (local.imageNanos() / 1e9);
      out.printf("reading the bundle from disk (inspect): image blobs digest-checked at %.0f MB/s%n", localMBps);
      Path pub = Files.writeString(work.resolve("transfer.pub"), TransferKey.toPem(transfer.publicKey()));
      try (ServiceProcess svc = ServiceProcess.start(o.jar(), work.resolve("data"), List.of("-Xmx" + o.heap()),
          Map.of("airseal.bundle.transfer-keys", "bench=" + pub))) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        java.util.function.LongSupplier cpu = () -> ProcessHandle.of(svc.pid()).flatMap(h -> h.info().totalCpuDuration())
            .map(Duration::toNanos).orElse(0L);
        long cpu0 = cpu.getAsLong();
        long t2 = System.nanoTime();
        JsonNode report;
        try {
          report = BundleUpload.post(http, svc.base(), HttpRequest.BodyPublishers.ofFile(file), Duration.ofMinutes(10));
        } catch (IOException e) {
          // The service log says why it dropped or refused the upload; the work directory is deleted below.
          throw new IOException(e.getMessage() + "\nservice log:\n" + svc.logTail(), e);
        }
        double importSeconds = (System.nanoTime() - t2) / 1e9;
        double cpuSeconds = (cpu.getAsLong() - cpu0) / 1e9;
        int accepted = 0;
        for (JsonNode i : report.path("images")) {
          accepted += i.path("accepted").asBoolean() ? 1 : 0;
        }
        if (accepted != o.images() + 1) {
          throw new IOException("only " + accepted + " of " + (o.images() + 1) + " images verified");
        }
        double mbps = report.path("imageMBps").asDouble();
        report.path("notes").forEach(n -> out.println("service: " + n.asText()));
        double[] load = {0};
        try {
          load[0] = Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
          load[0] = -1;
        }
        out.printf("service CPU time for the import: %.2f s (%.2f s per core on %d cores); load average %.1f%n",
            cpuSeconds, cpuSeconds / Runtime.getRuntime().availableProcessors(),
            Runtime.getRuntime().availableProcessors(), load[0]);
        out.printf("import: %.2f s for %.1f MB (service heap -Xmx%s, %d cores), %d images accepted%n", importSeconds,
            size / 1e6, o.heap(), Runtime.getRuntime().availableProcessors(), accepted);
        List<Figure> figures = new ArrayList<>();
        figures.add(Figure.atMost("import incl. verification", importSeconds, "s", 10));
        figures.add(Figure.atLeast("image blob digest check, from disk", localMBps, "MB/s", 200));
        figures.add(Figure.atLeast("image blob digest check, during upload", mbps, "MB/s", 200));
        figures.add(Figure.atMost("import CPU / cores (idle-machine wall time)",
            cpuSeconds / Runtime.getRuntime().availableProcessors(), "s", 10));
        figures.add(Figure.atMost("bundle write", writeNanos / 1e9, "s", 10));
        return figures;
      }
    } finally {
      try (var files = Files.walk(work)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  // One image whose layer is carried: random bytes (incompressible, like a real gzip layer).
  private static void carriedImage(BundleContent c, SyntheticEvidence ev, Path work, int mib) throws IOException {
    Path layer = work.resolve("layer.bin");
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    SecureRandom rnd = new SecureRandom();
    byte[] chunk = new byte[1 << 20];
    try (OutputStream o = Files.newOutputStream(layer)) {
      for (int i = 0; i < mib; i++) {
        rnd.nextBytes(chunk);
        md.update(chunk);
        o.write(chunk);
      }
    }
    Digest layerDigest = new Digest("sha256", HexFormat.of().formatHex(md.digest()));
    ev.carriedImage(c, "registry.bench/team/big", "big", layerDigest, (long) mib << 20, () -> Files.newInputStream(layer));
  }
}
