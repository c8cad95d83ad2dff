package dev.airseal.verify.x509;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airseal.testing.Tally;
import dev.airseal.testing.Vectors;
import dev.airseal.trust.TrustRootException;
import dev.airseal.trust.TrustedRoot;
import dev.airseal.verify.VerificationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampToken;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The certificate layer of every sigstore-conformance bundle that carries a Fulcio certificate:
 * chain to the case's trusted root (production when it has none) at each time the bundle claims
 * (integrated time, RFC 3161 genTime), embedded SCTs (threshold 1), and the case's identity.
 *
 * <p>Cases whose defect lies in this layer must fail here; the other {@code _fail} cases are
 * broken elsewhere (signature, log proof, TSA signature) and must pass this layer.
 */
class ConformanceCertificatesTest {
  private static final Tally TALLY = new Tally("sigstore-conformance certificate layer");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DEFAULT_IDENTITY =
      "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/"
          + ".github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
  private static final String DEFAULT_ISSUER = "https://token.actions.githubusercontent.com";
  /** Cases whose README puts the defect in the certificate, its time, its SCT or the root. */
  private static final Map<String, String> LAYER_FAILURES =
      Map.of(
          "rekor2-no-timestamp_fail", "no time",
          "rekor2-timestamp-with-incorrect-time_fail", "not valid at",
          "bundle-from-wrong-instance_fail", "no certificate authority",
          "bundle-with-root-cert_fail", "self-signed root",
          "intoto-expired-certificate_fail", "not valid at",
          "intoto-set-outside-signing-cert-validity_fail", "not valid at",
          "integrated-time-in-future_fail", "not valid at",
          "intoto-tsa-timestamp-outside-cert-validity_fail", "not valid at",
          "invalid-ct-key_fail", "SCT",
          "trust-root-tlog-missing-validity-start_fail", "validFor.start: missing");

  static Stream<Arguments> cases() throws IOException {
    Path dir = Vectors.dir("sigstore-conformance").resolve("assets/bundle-verify");
    List<Arguments> out = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path c : s.filter(Files::isDirectory).sorted().toList()) {
        JsonNode bundle;
        try {
          bundle = JSON.readTree(c.resolve("bundle.sigstore.json").toFile());
        } catch (IOException e) {
          skipped.add(c.getFileName() + " (not JSON)");
          continue;
        }
        if (certificates(bundle).isEmpty()) {
          skipped.add(c.getFileName() + " (no certificate)");
          continue;
        }
        out.add(Arguments.of(c.getFileName().toString(), c));
      }
    }
    System.out.println("sigstore-conformance certificate layer: not applicable: " + skipped);
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void certificateLayer(String name, Path dir) throws Exception {
    String expectedFailure = LAYER_FAILURES.get(name);
    if (expectedFailure == null) {
      run(dir);
      TALLY.passed();
      return;
    }
    assertThatThrownBy(() -> run(dir))
        .isInstanceOfAny(VerificationException.class, TrustRootException.class)
        .hasMessageContaining(expectedFailure)
        .satisfies(e -> System.out.println("  " + name + ": " + e.getMessage()));
    TALLY.rejected();
  }

  private static void run(Path dir) throws Exception {
    JsonNode bundle = JSON.readTree(dir.resolve("bundle.sigstore.json").toFile());
    Path rootFile = dir.resolve("trusted_root.json");
    TrustedRoot root = TrustedRoot.read(Files.exists(rootFile)
        ? rootFile
        : Vectors.dir("sigstore-public-good-trust").resolve("production/trusted_root.json"));
    List<X509Certificate> certs = certificates(bundle);
    X509Certificate leaf = certs.get(0);
    List<Instant> times = times(bundle);
    if (times.isEmpty()) {
      throw new VerificationException("bundle claims no time to check the certificate at");
    }
    VerifiedChain chain = null;
    for (Instant at : times) {
      chain = CertificateChains.verifyChain(leaf, certs.subList(1, certs.size()), root, at);
    }
    assertThat(Scts.verify(leaf, chain.issuer(), root, 1)).isGreaterThanOrEqualTo(1);
    IdentityPolicy.exact(read(dir, "identity", DEFAULT_IDENTITY), read(dir, "issuer", DEFAULT_ISSUER))
        .check(FulcioIdentity.of(leaf));
  }

  private static String read(Path dir, String file, String otherwise) throws IOException {
    Path p = dir.resolve(file);
    return Files.exists(p) ? Files.readString(p).strip() : otherwise;
  }

  static List<X509Certificate> certificates(JsonNode bundle) {
    JsonNode vm = bundle.path("verificationMaterial");
    List<X509Certificate> out = new ArrayList<>();
    if (vm.has("certificate")) {
      out.add(Pem.cert(Base64.getDecoder().decode(vm.get("certificate").get("rawBytes").asText())));
    }
    for (JsonNode c : vm.path("x509CertificateChain").path("certificates")) {
      out.add(Pem.cert(Base64.getDecoder().decode(c.get("rawBytes").asText())));
    }
    return out;
  }

  /** Integrated times and RFC 3161 genTimes, unverified: this test is about the certificate. */
  static List<Instant> times(JsonNode bundle) throws Exception {
    List<Instant> out = new ArrayList<>();
    JsonNode vm = bundle.path("verificationMaterial");
    for (JsonNode e : vm.path("tlogEntries")) {
      long t = e.path("integratedTime").asLong(0);
      if (t > 0) {
        out.add(Instant.ofEpochSecond(t));
      }
    }
    for (JsonNode ts : vm.path("timestampVerificationData").path("rfc3161Timestamps")) {
      try {
        // protobuf-specs: the bytes of an RFC 3161 TimeStampResp.
        // Go's base64 (hence protojson) skips CR and LF; one conformance bundle wraps at 76.
        byte[] der = Base64.getDecoder().decode(ts.get("signedTimestamp").asText().replaceAll("[\r\n]", ""));
        TimeStampToken token = new TimeStampResponse(der).getTimeStampToken();
        out.add(token.getTimeStampInfo().getGenTime().toInstant());
      } catch (IllegalArgumentException | TSPException | IOException e) {
        // A broken timestamp is the TSA layer's finding; it gives this layer no time to check.
        System.out.println("  unreadable RFC 3161 timestamp: " + e.getMessage());
      }
    }
    return out;
  }

  @AfterAll
  static void tally() {
    TALLY.print();
  }
}
