package dev.airseal.peers;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.airseal.cli.AirsealCommand;
import dev.airseal.testing.Peers;
import dev.airseal.testing.Peers.Result;
import dev.airseal.testing.TestEntries;
import dev.airseal.testing.TrustedRoots;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * What Airseal signs, cosign 2.5 accepts: images (legacy .sig and .att layouts, verified against
 * our log key as cosign's Rekor key) and blobs (Sigstore bundles v0.3, verified with a trusted root
 * naming our log). Tampering is caught by cosign too.
 */
@QuarkusTest
class AirsealSignedVerifiedByCosignTest {
  @TempDir static Path dir;
  private static LocalRegistry registry;
  private static Path key;
  private static Path pub;

  @BeforeAll
  static void setUp() throws Exception {
    Peers.require("cosign");
    registry = LocalRegistry.start(Files.createDirectories(dir.resolve("registry")));
    KeyPair k = TestEntries.p256();
    key = Files.writeString(dir.resolve("signer.pem"), "-----BEGIN PRIVATE KEY-----\n"
        + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(k.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n");
    pub = Files.writeString(dir.resolve("signer.pub"), TestEntries.publicKeyPem(k));
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (registry != null) {
      registry.close();
    }
  }

  private static String logUrl() {
    return "http://127.0.0.1:" + RestAssured.port;
  }

  /** Runs an airseal CLI command in this JVM; returns exit code and what it wrote to stderr. */
  private static String airseal(int expectedExit, String... args) {
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new AirsealCommand());
    cl.setErr(new PrintWriter(err));
    java.io.PrintStream old = System.err;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
    int rc;
    try {
      rc = cl.execute(args);
    } finally {
      System.setErr(old);
    }
    String out = err + captured.toString(StandardCharsets.UTF_8);
    assertThat(rc).as(String.join(" ", args) + "\n" + out).isEqualTo(expectedExit);
    return out;
  }

  private static Path logKey() throws Exception {
    return Files.writeString(dir.resolve("log.pub"),
        given().get("/api/v1/log/publicKey").then().statusCode(200).extract().asString());
  }

  private static Result cosignVerify(Path rekorKey, String... args) {
    return Peers.peer(dir, "cosign", args).env("SIGSTORE_REKOR_PUBLIC_KEY", rekorKey.toString()).run();
  }

  @Test
  void signedImage_verifiesWithCosign_andNotWithAnotherKey() throws Exception {
    String ref = registry.pushImage("airseal/signed", "v1", "a.txt", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
    String out = airseal(0, "sign", "--key", key.toString(), "--rekor-url", logUrl(), "--allow-http-registry", "-y", ref);
    assertThat(out).contains("tlog entry created with index");
    // Signing twice appends nothing new and still verifies.
    airseal(0, "sign", "--key", key.toString(), "--rekor-url", logUrl(), "--allow-http-registry", ref);

    Path logKey = logKey();
    Result ok = cosignVerify(logKey, "verify", "--key", pub.toString(), "--allow-http-registry", "--offline", ref).succeeded();
    assertThat(ok.stderr()).contains("Existence of the claims in the transparency log was verified offline");

    Path otherSigner = Files.writeString(dir.resolve("other.pub"), TestEntries.publicKeyPem(TestEntries.p256()));
    cosignVerify(logKey, "verify", "--key", otherSigner.toString(), "--allow-http-registry", "--offline", ref).failed();
    Path otherLog = Files.writeString(dir.resolve("other-log.pub"), TestEntries.publicKeyPem(TestEntries.p256()));
    cosignVerify(otherLog, "verify", "--key", pub.toString(), "--allow-http-registry", "--offline", ref).failed();
  }

  @Test
  void newBundleFormat_pushesAReferrerWhoseBundleCosignVerifies() throws Exception {
    String ref = registry.pushImage("airseal/v3", "v1", "c.txt", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
    airseal(0, "sign", "--key", key.toString(), "--rekor-url", logUrl(), "--allow-http-registry",
        "--new-bundle-format", ref);
    var client = new dev.airseal.oci.RegistryClient(new dev.airseal.oci.RegistryOptions(true, false, java.util.Optional.empty()));
    var image = dev.airseal.oci.ImageReference.parse(ref);
    byte[] manifest = client.manifest(image, image.digest().toString()).orElseThrow().bytes();
    // docker-registry 2.8 has no referrers API: the referrer is listed in the tag-schema index.
    var index = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(client.referrers(image, image.digest()).orElseThrow().bytes());
    com.fasterxml.jackson.databind.JsonNode d = index.path("manifests").get(0);
    assertThat(d.path("artifactType").asText()).isEqualTo("application/vnd.dev.sigstore.bundle.v0.3+json");
    var referrer = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
        client.manifest(image, d.path("digest").asText()).orElseThrow().bytes());
    assertThat(referrer.at("/subject/digest").asText()).isEqualTo(image.digest().toString());
    byte[] bundle = client.blob(image, dev.airseal.oci.Digest.parse(referrer.at("/layers/0/digest").asText()), 1 << 20);
    Path bundleFile = Files.write(dir.resolve("v3.sigstore.json"), bundle);
    Path manifestFile = Files.write(dir.resolve("v3-manifest.json"), manifest);
    Path root = TrustedRoots.write(dir.resolve("trusted_root_v3.json"),
        TrustedRoots.parsePem(given().get("/api/v1/log/publicKey").asString()), logUrl(),
        Instant.now().minus(1, ChronoUnit.DAYS));
    // The statement's subject is the image manifest: cosign checks it as the attested blob.
    Peers.peer(dir, "cosign", "verify-blob-attestation", "--offline", "--new-bundle-format", "--bundle", bundleFile.toString(),
        "--trusted-root", root.toString(), "--key", pub.toString(), "--type", "https://sigstore.dev/cosign/sign/v1",
        manifestFile.toString()).run().succeeded();
    Path otherManifest = Files.writeString(dir.resolve("other-manifest.json"), "{}");
    Peers.peer(dir, "cosign", "verify-blob-attestation", "--offline", "--new-bundle-format", "--bundle", bundleFile.toString(),
        "--trusted-root", root.toString(), "--key", pub.toString(), "--type", "https://sigstore.dev/cosign/sign/v1",
        otherManifest.toString()).run().failed();
  }

  @Test
  void signatureWrittenToALayout_carriedBySkopeo_verifiesWithCosign() throws Exception {
    Peers.require("skopeo");
    String ref = registry.pushImage("airseal/carried", "v1", "d.txt", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
    Path layout = dir.resolve("carried-layout");
    airseal(0, "sign", "--key", key.toString(), "--rekor-url", logUrl(), "--allow-http-registry",
        "--upload=false", "--output-dir", layout.toString(), ref);
    String digestHex = ref.substring(ref.indexOf("@sha256:") + 8);
    String sigTag = "sha256-" + digestHex + ".sig";
    Path logKey = logKey();
    // Not in the registry yet: cosign finds no signature.
    cosignVerify(logKey, "verify", "--key", pub.toString(), "--allow-http-registry", "--offline", ref).failed();
    String repo = ref.substring(0, ref.indexOf('@'));
    Peers.peer(dir, "skopeo", "copy", "--dest-tls-verify=false", "oci:" + layout + ":" + sigTag,
        "docker://" + repo + ":" + sigTag).run().succeeded();
    cosignVerify(logKey, "verify", "--key", pub.toString(), "--allow-http-registry", "--offline", ref).succeeded();
  }

  @Test
  void cosignSaveLayout_verifiesOfflineWithLocalImage() throws Exception {
    String ref = registry.pushImage("airseal/saved", "v1", "e.txt", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
    airseal(0, "sign", "--key", key.toString(), "--rekor-url", logUrl(), "--allow-http-registry", ref);
    Path saved = dir.resolve("saved-" + UUID.randomUUID());
    Peers.peer(dir, "cosign", "save", "--allow-http-registry", "--dir", saved.toString(), ref).run().succeeded();
    Path logKey = logKey();
    assertThat(airseal(0, "verify", "--local-image", "--key", pub.toString(), "--rekor-public-key", logKey.toString(),
        saved.toString())).contains("verified against the specified public key");
    Path otherSigner = Files.writeString(dir.resolve("other-saved.pub"), TestEntries.publicKeyPem(TestEntries.p256()));
    airseal(1, "verify", "--local-image", "--key", otherSigner.toString(), "--rekor-public-key", logKey.toString(), saved.toString());
    // A layout whose blobs do not hash to their names is refused, not believed.
    try (var blobs = Files.list(saved.resolve("blobs/sha256"))) {
      for (Path b : blobs.toList()) {
        String text = Files.readString(b, StandardCharsets.ISO_8859_1);
        if (text.contains("docker-manifest-digest")) {
          Files.writeString(b, text.replace("cosign container image signature", "cosign container image signaturX"),
              StandardCharsets.ISO_8859_1);
        }
      }
    }
    airseal(1, "verify", "--local-image", "--key", pub.toString(), "--rekor-public-key", logKey.toString(), saved.toString());
  }

  @Test
  void sign_refusesTagsAndImagesNotInTheRegistry() throws Exception {
    String ref = registry.pushImage("airseal/tagonly", "v1", "t.txt", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
    String tag = ref.substring(0, ref.indexOf('@')) + ":v1";
    assertThat(airseal(1, "sign", "--key", key.toString(), "--rekor-url", logUrl(), "--allow-http-registry", tag))
        .contains("refusing to sign tag");
    String missing = ref.substring(0, ref.indexOf('@')) + "@sha256:" + "0".repeat(64);
    assertThat(airseal(1, "sign", "--key", key.toString(), "--rekor-url", logUrl(), "--allow-http-registry", missing))
        .contains("not in the registry");
  }

  @Test
  void attestedImage_verifiesWithCosignVerifyAttestation() throws Exception {
    String ref = registry.pushImage("airseal/attested", "v1", "b.txt", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
    Path predicate = Files.writeString(dir.resolve("prov.json"), "{\"buildType\":\"https://example/build\",\"builder\":{\"id\":\"ci\"}}");
    airseal(0, "attest", "--key", key.toString(), "--type", "slsaprovenance", "--predicate", predicate.toString(),
        "--rekor-url", logUrl(), "--allow-http-registry", ref);
    Path logKey = logKey();
    cosignVerify(logKey, "verify-attestation", "--key", pub.toString(), "--type", "slsaprovenance",
        "--allow-http-registry", "--offline", ref).succeeded();
    cosignVerify(logKey, "verify-attestation", "--key", pub.toString(), "--type", "cyclonedx",
        "--allow-http-registry", "--offline", ref).failed();
  }

  @Test
  void blobBundles_verifyWithCosignAgainstATrustedRootNamingOurLog() throws Exception {
    Path blob = Files.writeString(dir.resolve("release.txt"), "release " + UUID.randomUUID());
    Path bundle = dir.resolve("release.sigstore.json");
    airseal(0, "sign-blob", "--key", key.toString(), "--rekor-url", logUrl(), "--bundle", bundle.toString(), blob.toString());
    Path root = TrustedRoots.write(dir.resolve("trusted_root.json"),
        TrustedRoots.parsePem(given().get("/api/v1/log/publicKey").asString()), logUrl(),
        Instant.now().minus(1, ChronoUnit.DAYS));
    Peers.peer(dir, "cosign", "verify-blob", "--offline", "--new-bundle-format", "--bundle", bundle.toString(),
        "--trusted-root", root.toString(), "--key", pub.toString(), blob.toString()).run().succeeded();
    Path tampered = Files.writeString(dir.resolve("tampered.txt"), "not the release");
    Peers.peer(dir, "cosign", "verify-blob", "--offline", "--new-bundle-format", "--bundle", bundle.toString(),
        "--trusted-root", root.toString(), "--key", pub.toString(), tampered.toString()).run().failed();

    Path predicate = Files.writeString(dir.resolve("sbom.json"), "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.4\"}");
    Path att = dir.resolve("release.att.json");
    airseal(0, "attest-blob", "--key", key.toString(), "--type", "cyclonedx", "--predicate", predicate.toString(),
        "--rekor-url", logUrl(), "--bundle", att.toString(), blob.toString());
    Peers.peer(dir, "cosign", "verify-blob-attestation", "--offline", "--new-bundle-format", "--bundle", att.toString(),
        "--trusted-root", root.toString(), "--key", pub.toString(), "--type", "cyclonedx", blob.toString()).run().succeeded();
  }
}
