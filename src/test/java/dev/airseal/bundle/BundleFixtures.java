package dev.airseal.bundle;

import dev.airseal.bench.SyntheticEvidence;
import dev.airseal.oci.Digest;
import dev.airseal.signing.SignatureAlgorithm;
import dev.airseal.signing.Signer;
import dev.airseal.signing.soft.KeyGeneration;
import dev.airseal.signing.soft.SoftwareSigner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Bundles made by test code: valid ones through the writer, hostile ones by editing the tar. */
final class BundleFixtures {
  final SyntheticEvidence evidence = new SyntheticEvidence();
  final Signer transferKey = newKey();
  final String producer = "ci-" + Long.toHexString(System.nanoTime());

  static Signer newKey() {
    return new SoftwareSigner(KeyGeneration.generate(SignatureAlgorithm.PKIX_ECDSA_P256_SHA_256),
        SignatureAlgorithm.PKIX_ECDSA_P256_SHA_256);
  }

  TransferKey trusted() {
    return new TransferKey(producer, transferKey.publicKey());
  }

  /** Content with {@code images} images in one repository, each with one signature and one attestation. */
  BundleContent content(int images) throws IOException {
    BundleContent c = new BundleContent();
    for (int i = 0; i < images; i++) {
      evidence.add(c, SyntheticEvidence.image("registry.example/team/app", i), 1, 1, List.of("v" + i));
    }
    c.signer(evidence.signerSpec());
    c.trustedRoot(evidence.trustedRoot().toJson(), evidence.trustedRoot().mediaType());
    return c;
  }

  record Built(byte[] bytes, Digest digest) {}

  Built build(BundleContent c, long sequence, Optional<Digest> previous) throws IOException {
    return build(c, sequence, previous, transferKey, Instant.now().plus(Duration.ofDays(1)), false);
  }

  Built build(BundleContent c, long sequence, Optional<Digest> previous, Signer key, Instant expires, boolean gzip)
      throws IOException {
    TransferStatement s = c.statement(producer, sequence, Instant.now().minusSeconds(3600), expires, previous);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BundleWriter.Written w = BundleWriter.write(c, s, key, out, gzip);
    return new Built(out.toByteArray(), w.bundleDigest());
  }

  /** Writes the bundle to {@code file} as it is made: for bundles too large to hold in memory. */
  Digest buildFile(BundleContent c, long sequence, Path file) throws IOException {
    TransferStatement s = c.statement(producer, sequence, Instant.now().minusSeconds(5),
        Instant.now().plus(Duration.ofDays(1)), Optional.empty());
    try (OutputStream out = Files.newOutputStream(file)) {
      return BundleWriter.write(c, s, transferKey, out, false).bundleDigest();
    }
  }

  /** One raw tar entry; {@code declaredSize} may lie about the content. */
  record Raw(String name, char type, byte[] content, long declaredSize) {
    static Raw file(String name, byte[] content) {
      return new Raw(name, '0', content, content.length);
    }
  }

  /** The entries of a (plain) bundle, as written. */
  static List<Raw> entries(byte[] tar) {
    List<Raw> out = new ArrayList<>();
    int off = 0;
    while (off + 512 <= tar.length) {
      byte[] h = java.util.Arrays.copyOfRange(tar, off, off + 512);
      if (h[0] == 0) {
        break;
      }
      int end = 0;
      while (end < 100 && h[end] != 0) {
        end++;
      }
      String name = new String(h, 0, end, StandardCharsets.UTF_8);
      long size = Long.parseLong(new String(h, 124, 11, StandardCharsets.US_ASCII).trim(), 8);
      out.add(Raw.file(name, java.util.Arrays.copyOfRange(tar, off + 512, off + 512 + (int) size)));
      off += 512 + (int) ((size + 511) / 512 * 512);
    }
    return out;
  }

  /** A ustar archive of {@code entries} with the end marker. */
  static byte[] tar(List<Raw> entries) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Raw r : entries) {
      byte[] h = TarWriter.header(r.name().length() > 100 ? r.name().substring(0, 100) : r.name(), r.declaredSize());
      h[156] = (byte) r.type();
      if (r.type() == '2' || r.type() == '1') {
        byte[] target = "/etc/passwd".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(target, 0, h, 157, target.length);
      }
      rechecksum(h);
      out.writeBytes(h);
      out.writeBytes(r.content());
      out.writeBytes(new byte[(int) ((512 - r.content().length % 512) % 512)]);
    }
    out.writeBytes(new byte[1024]);
    return out.toByteArray();
  }

  static void rechecksum(byte[] h) {
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    byte[] s = String.format("%06o", sum).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(s, 0, h, 148, 6);
    h[154] = 0;
    h[155] = ' ';
  }
}
