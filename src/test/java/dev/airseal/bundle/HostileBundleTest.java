package dev.airseal.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airseal.oci.Digest;
import dev.airseal.oci.Manifest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hostile-input corpus: each case is a bundle with one defect, made by test code, and must be
 * refused with a message naming the defect. (TransferImportTest runs the same corpus through the
 * service and checks that the store is unchanged.)
 */
class HostileBundleTest {
  static BundleFixtures fx;
  static byte[] valid;

  @BeforeAll
  static void setUp() throws IOException {
    fx = new BundleFixtures();
    valid = fx.build(fx.content(2), 1, Optional.empty()).bytes();
  }

  static OpenedBundle read(byte[] bundle) throws Exception {
    return BundleReader.open(new ByteArrayInputStream(bundle), BundleLimits.defaults(), List.of(fx.trusted()))
        .readBlobs(Optional.empty());
  }

  @Test
  void valid_bundleReadsWithEveryBlob() throws Exception {
    OpenedBundle b = read(valid);
    assertThat(b.statement().images()).hasSize(2);
    assertThat(b.blobs()).hasSize(b.statement().blobs().size());
    assertThat(b.fileDigest()).isEqualTo(Digest.of(valid).toString());
  }

  @Test
  void valid_gzipBundleReads() throws Exception {
    byte[] gz = fx.build(fx.content(2), 1, Optional.empty(), fx.transferKey, Instant.now().plusSeconds(600), true)
        .bytes();
    assertThat(gz[0] & 0xff).isEqualTo(0x1f);
    assertThat(read(gz).statement().images()).hasSize(2);
  }

  static Stream<Arguments> corpus() throws IOException {
    fx = fx == null ? new BundleFixtures() : fx;
    valid = valid == null ? fx.build(fx.content(2), 1, Optional.empty()).bytes() : valid;
    List<Arguments> out = new ArrayList<>();
    out.add(Arguments.of("path-traversal", edit(e -> add(e, BundleFixtures.Raw.file("blobs/../../etc/cron.d/x", b("x")))),
        "traverses out of the archive"));
    out.add(Arguments.of("absolute-path", edit(e -> add(e, BundleFixtures.Raw.file("/etc/passwd", b("x")))),
        "absolute path"));
    out.add(Arguments.of("symlink", edit(e -> add(e, new BundleFixtures.Raw("blobs/sha256/" + "a".repeat(64), '2',
        new byte[0], 0))), "symbolic link"));
    out.add(Arguments.of("hardlink", edit(e -> add(e, new BundleFixtures.Raw("blobs/sha256/" + "b".repeat(64), '1',
        new byte[0], 0))), "hard link"));
    out.add(Arguments.of("device-file", edit(e -> add(e, new BundleFixtures.Raw("blobs/sha256/" + "c".repeat(64), '3',
        new byte[0], 0))), "device file"));
    out.add(Arguments.of("fifo", edit(e -> add(e, new BundleFixtures.Raw("blobs/sha256/" + "d".repeat(64), '6',
        new byte[0], 0))), "FIFO"));
    out.add(Arguments.of("pax-header", edit(e -> add(e, new BundleFixtures.Raw("PaxHeader", 'x', b("30 path=x\n"), 10))),
        "extension header"));
    out.add(Arguments.of("duplicate-entry", edit(e -> add(e, e.get(e.size() - 1))), "appears twice"));
    out.add(Arguments.of("foreign-name", edit(e -> add(e, BundleFixtures.Raw.file("evil.sh", b("x")))),
        "not part of an OCI layout"));
    out.add(Arguments.of("unnamed-blob", edit(e -> add(e, BundleFixtures.Raw.file(
        "blobs/sha256/" + Digest.of(b("extra")).hex(), b("extra")))), "not named by the transfer statement"));
    out.add(Arguments.of("absent-blob", edit(e -> e.subList(0, e.size() - 1)), "does not hold it"));
    out.add(Arguments.of("altered-blob", edit(e -> {
      BundleFixtures.Raw last = e.get(e.size() - 1);
      byte[] c = last.content().clone();
      c[c.length / 2] ^= 1;
      e.set(e.size() - 1, BundleFixtures.Raw.file(last.name(), c));
      return e;
    }), "does not hash to its name"));
    out.add(Arguments.of("oversized-entry", edit(e -> {
      BundleFixtures.Raw last = e.get(e.size() - 1);
      byte[] c = java.util.Arrays.copyOf(last.content(), last.content().length + 1);
      e.set(e.size() - 1, BundleFixtures.Raw.file(last.name(), c));
      return e;
    }), "the statement says"));
    out.add(Arguments.of("truncated", java.util.Arrays.copyOf(valid, valid.length - 1024 - 700), "truncated"));
    out.add(Arguments.of("truncated-header", java.util.Arrays.copyOf(valid, 1300), "truncated"));
    out.add(Arguments.of("data-after-end", concat(valid, b("smuggled")), "after its end-of-archive marker"));
    out.add(Arguments.of("empty-file", new byte[0], "empty"));
    out.add(Arguments.of("reordered-header", edit(e -> {
      BundleFixtures.Raw x = e.remove(1);
      e.add(2, x);
      return e;
    }), "expected \"index.json\""));
    out.add(Arguments.of("decompression-bomb", bomb(), "decompression bomb"));
    out.add(Arguments.of("unknown-media-type", signed(c -> c.blob(b("#!/bin/sh"), "application/x-sh",
        TransferFormat.Role.EVIDENCE)), "unknown for role evidence"));
    out.add(Arguments.of("listed-but-unreferenced", signed(c -> c.blob(b("{}\n"), Manifest.OCI_MANIFEST,
        TransferFormat.Role.EVIDENCE)), "nothing in the bundle refers to it"));
    out.add(Arguments.of("manifest-names-absent-blob", signed(c -> c.image(new TransferStatement.Image(
        "registry.example/team/app", Digest.of(b("img")), List.of(), Optional.of(Digest.of(b("nothing"))),
        Optional.empty(), List.of(), List.of()))), "which the bundle does not carry"));
    out.add(Arguments.of("tuf-root-in-another-role", signed(c -> {
      c.blob(b("{\"root\":1}"), TransferFormat.TUF_TIMESTAMP_MEDIA_TYPE, TransferFormat.Role.TUF_TIMESTAMP);
      c.tuf(List.of(b("{\"root\":1}")), b("{}ts"), b("{}snap"), b("{}targets"), "trusted_root.json", b("{}tr"),
          "application/vnd.dev.sigstore.trustedroot+json;version=0.1");
    }), "must have role tuf-root, not tuf-timestamp"));
    out.add(Arguments.of("unsigned-by-trusted-key", fx.build(fxContent(), 1, Optional.empty(), BundleFixtures.newKey(),
        Instant.now().plusSeconds(600), false).bytes(), "does not verify with any trusted transfer key"));
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void hostile_isRefusedWithAClearMessage(String defect, byte[] bundle, String message) {
    assertThatThrownBy(() -> read(bundle)).as(defect)
        .isInstanceOfAny(BundleFormatException.class, TransferRejectedException.class)
        .hasMessageContaining(message);
  }

  private static BundleContent fxContent() {
    try {
      return fx.content(1);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] signed(java.util.function.Consumer<BundleContent> defect) throws IOException {
    BundleContent c = fx.content(1);
    defect.accept(c);
    return fx.build(c, 1, Optional.empty()).bytes();
  }

  private static byte[] edit(UnaryOperator<List<BundleFixtures.Raw>> f) {
    return BundleFixtures.tar(f.apply(new ArrayList<>(BundleFixtures.entries(valid))));
  }

  private static List<BundleFixtures.Raw> add(List<BundleFixtures.Raw> e, BundleFixtures.Raw r) {
    e.add(r);
    return e;
  }

  // A valid bundle followed by 64 MiB of zero "padding" gzips to ~64 KiB: a ratio far above 100.
  private static byte[] bomb() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(valid);
      gz.write(new byte[64 << 20]);
    }
    return out.toByteArray();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
