package dev.airseal.peers;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.cli.AirsealCommand;
import dev.airseal.oci.ImageReference;
import dev.airseal.oci.Manifest;
import dev.airseal.oci.RegistryClient;
import dev.airseal.oci.RegistryOptions;
import dev.airseal.testing.Peers;
import dev.airseal.testing.TestEntries;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code airseal verify} / {@code verify-attestation} against the oracle, cosign 2.5: images in a
 * local registry signed by the real cosign (into our log) and by Airseal, each case run through
 * both verifiers with the same key and our log's key ({@code SIGSTORE_REKOR_PUBLIC_KEY} for
 * cosign, {@code --rekor-public-key} for us), offline. Both must give the expected verdict; the
 * table of verdicts is printed.
 */
@QuarkusTest
class ImageVerifyAgreesWithCosignTest {
  private static final String PASSWORD = "test-only";
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  private static LocalRegistry registry;
  private static RegistryClient client;
  private static Path k2;
  private static Path airsealKey;
  private static Path airsealPub;
  private static final List<String> TABLE = new ArrayList<>();

  @BeforeAll
  static void setUp() throws Exception {
    Peers.require("cosign");
    registry = LocalRegistry.start(Files.createDirectories(dir.resolve("registry")));
    client = new RegistryClient(new RegistryOptions(true, false, Optional.empty()));
    cosign("generate-key-pair").succeeded();
    k2 = Files.createDirectories(dir.resolve("k2"));
    Peers.peer(k2, "cosign", "generate-key-pair").env("COSIGN_PASSWORD", PASSWORD).run().succeeded();
    KeyPair k = TestEntries.p256();
    airsealKey = Files.writeString(dir.resolve("airseal.pem"), "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(k.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n");
    airsealPub = Files.writeString(dir.resolve("airseal.pub"), TestEntries.publicKeyPem(k));
  }

  @AfterAll
  static void tearDown() throws Exception {
    System.out.println("image verification, case | cosign 2.5 | airseal");
    TABLE.forEach(System.out::println);
    if (registry != null) {
      registry.close();
    }
  }

  private static String pub1() {
    return dir.resolve("cosign.pub").toString();
  }

  private static String key1() {
    return dir.resolve("cosign.key").toString();
  }

  private static String pub2() {
    return k2.resolve("cosign.pub").toString();
  }

  private static String key2() {
    return k2.resolve("cosign.key").toString();
  }

  private static Peers.Result cosign(String... args) {
    return Peers.peer(dir, "cosign", args).env("COSIGN_PASSWORD", PASSWORD).run();
  }

  private static String logUrl() {
    return "http://127.0.0.1:" + RestAssured.port;
  }

  private static Path logKey() throws Exception {
    Path p = dir.resolve("log.pub");
    if (!Files.exists(p)) {
      Files.writeString(p, given().get("/api/v1/log/publicKey").then().statusCode(200).extract().asString());
    }
    return p;
  }

  private static String image(String repo, String tag) throws Exception {
    return registry.pushImage(repo, tag, "f.txt", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
  }

  private static void cosignSign(String key, String ref, String... extra) {
    List<String> args = new ArrayList<>(List.of("sign", "-y", "--key", key, "--rekor-url", logUrl(), "--allow-http-registry"));
    args.addAll(List.of(extra));
    args.add(ref);
    cosign(args.toArray(String[]::new)).succeeded();
  }

  /** What an in-process airseal run did. */
  record Run(int exit, String stdout, String stderr) {}

  private static Run airseal(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new AirsealCommand());
    cl.setErr(new PrintWriter(err));
    PrintStream oldErr = System.err;
    PrintStream oldOut = System.out;
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
    System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
    int rc;
    try {
      rc = cl.execute(args);
    } finally {
      System.setErr(oldErr);
      System.setOut(oldOut);
    }
    return new Run(rc, o.toString(StandardCharsets.UTF_8), err + e.toString(StandardCharsets.UTF_8));
  }

  /**
   * Runs {@code verb} (verify or verify-attestation) with {@code args} through cosign and airseal;
   * both must reach {@code expectAllowed}. Returns airseal's run.
   */
  private static Run agree(String name, boolean expectAllowed, String verb, String... args) throws Exception {
    List<String> c = new ArrayList<>(List.of(verb, "--offline", "--allow-http-registry"));
    c.addAll(List.of(args));
    Peers.Result cr = Peers.peer(dir, "cosign", c.toArray(String[]::new))
        .env("SIGSTORE_REKOR_PUBLIC_KEY", logKey().toString()).run();
    List<String> a = new ArrayList<>(List.of(verb, "--allow-http-registry", "--rekor-public-key", logKey().toString()));
    a.addAll(List.of(args));
    Run ar = airseal(a.toArray(String[]::new));
    TABLE.add(String.format("  %-58s | %-5s | %-5s", name, cr.exitCode() == 0 ? "pass" : "fail", ar.exit() == 0 ? "pass" : "fail"));
    assertThat(cr.exitCode() == 0).as("cosign on " + name + ": " + cr.describe()).isEqualTo(expectAllowed);
    assertThat(ar.exit() == 0).as("airseal on " + name + ":\n" + ar.stderr()).isEqualTo(expectAllowed);
    return ar;
  }

  @Test
  void signatures_sameVerdictAsCosign() throws Exception {
    String a = image("oracle/app", "a");
    String b = image("oracle/app", "b");
    cosignSign(key1(), a);

    // (a) good signature; (b) untrusted key; a log we do not trust.
    Run ok = agree("(a) cosign-signed, right key", true, "verify", "--key", pub1(), a);
    assertThat(ok.stderr()).contains("The cosign claims were validated",
        "Existence of the claims in the transparency log was verified offline");
    assertThat(ok.stdout()).contains(ImageReference.parse(a).digest().toString());
    Run bad = agree("(b) cosign-signed, untrusted key", false, "verify", "--key", pub2(), a);
    assertThat(bad.stderr()).contains("content.signature");
    Path otherLog = Files.writeString(dir.resolve("other-log.pub"), TestEntries.publicKeyPem(TestEntries.p256()));
    Peers.peer(dir, "cosign", "verify", "--offline", "--allow-http-registry", "--key", pub1(), a)
        .env("SIGSTORE_REKOR_PUBLIC_KEY", otherLog.toString()).run().failed();
    assertThat(airseal("verify", "--allow-http-registry", "--rekor-public-key", otherLog.toString(),
        "--key", pub1(), a).stderr()).contains("is not a transparency log of the trusted root");
    TABLE.add(String.format("  %-58s | %-5s | %-5s", "(a') cosign-signed, untrusted log key", "fail", "fail"));

    // (c) unsigned image.
    Run none = agree("(c) unsigned image", false, "verify", "--key", pub1(), b);
    assertThat(none.stderr()).contains("no signatures found");

    // (d) A's .sig manifest copied to B's signature tag: the payload names A's digest.
    ImageReference ra = ImageReference.parse(a);
    ImageReference rb = ImageReference.parse(b);
    Manifest sigA = client.manifest(ra, ra.digest().cosignTagPrefix() + ".sig").orElseThrow();
    client.putManifest(rb, rb.digest().cosignTagPrefix() + ".sig", sigA.bytes(), Manifest.OCI_MANIFEST);
    Run moved = agree("(d) A's signature copied to B", false, "verify", "--key", pub1(), b);
    assertThat(moved.stderr()).contains("payload.digest", "signed payload is for " + ra.digest());

    // (e) C's signature annotation replaced by A's signature (same key, other bytes).
    String c = image("oracle/app", "c");
    cosignSign(key1(), c);
    ImageReference rc = ImageReference.parse(c);
    String sigTag = rc.digest().cosignTagPrefix() + ".sig";
    ObjectNode m = (ObjectNode) JSON.readTree(client.manifest(rc, sigTag).orElseThrow().bytes());
    String sigOfA = JSON.readTree(sigA.bytes()).at("/layers/0/annotations").path("dev.cosignproject.cosign/signature").asText();
    ((ObjectNode) m.at("/layers/0/annotations")).put("dev.cosignproject.cosign/signature", sigOfA);
    client.putManifest(rc, sigTag, JSON.writeValueAsBytes(m), Manifest.OCI_MANIFEST);
    Run tampered = agree("(e) signature annotation over other bytes", false, "verify", "--key", pub1(), c);
    assertThat(tampered.stderr()).contains("content.signature");

    // (f) two signatures, by two keys: either key verifies, a third does not.
    String d = image("oracle/app", "d");
    cosignSign(key1(), d);
    cosignSign(key2(), d);
    agree("(f) two signatures, first key", true, "verify", "--key", pub1(), d);
    agree("(f) two signatures, second key", true, "verify", "--key", pub2(), d);
    agree("(f) two signatures, neither key", false, "verify", "--key", airsealPub.toString(), d);

    // No log entry: refused unless --insecure-ignore-tlog.
    String e = image("oracle/app", "e");
    cosignSign(key1(), e, "--tlog-upload=false");
    Run unlogged = agree("signed without tlog", false, "verify", "--key", pub1(), e);
    assertThat(unlogged.stderr()).contains("layer.bundle");
    agree("signed without tlog, --insecure-ignore-tlog", true, "verify", "--key", pub1(), "--insecure-ignore-tlog", e);
    agree("signed with tlog, --insecure-ignore-tlog", true, "verify", "--key", pub1(), "--insecure-ignore-tlog", a);

    // Airseal's own legacy signature.
    String f = image("oracle/app", "f");
    assertThat(airseal("sign", "--key", airsealKey.toString(), "--rekor-url", logUrl(), "--allow-http-registry", f).exit()).isZero();
    agree("airseal-signed (.sig), right key", true, "verify", "--key", airsealPub.toString(), f);
    agree("airseal-signed (.sig), untrusted key", false, "verify", "--key", pub1(), f);
  }

  @Test
  void attestations_sameVerdictAsCosign() throws Exception {
    String a = image("oracle/att", "a");
    String none = image("oracle/att", "none");
    Path p = Files.writeString(dir.resolve("p.json"), "{\"buildType\":\"https://example/build\",\"builder\":{\"id\":\"ci\"}}");
    cosign("attest", "-y", "--key", key1(), "--type", "slsaprovenance", "--predicate", p.toString(),
        "--rekor-url", logUrl(), "--allow-http-registry", "--tlog-upload=true", a).succeeded();

    Run ok = agree("(g) cosign attestation, slsaprovenance", true, "verify-attestation", "--key", pub1(), "--type", "slsaprovenance", a);
    assertThat(ok.stdout()).contains("https://slsa.dev/provenance/v0.2", "https://example/build");
    Run wrongType = agree("(g) cosign attestation, --type cyclonedx", false, "verify-attestation", "--key", pub1(), "--type", "cyclonedx", a);
    assertThat(wrongType.stderr()).contains("statement.predicateType");
    agree("(g) cosign attestation, untrusted key", false, "verify-attestation", "--key", pub2(), "--type", "slsaprovenance", a);
    Run absent = agree("(g) no attestation", false, "verify-attestation", "--key", pub1(), "--type", "slsaprovenance", none);
    assertThat(absent.stderr()).contains("no attestations found");

    String b = image("oracle/att", "b");
    assertThat(airseal("attest", "--key", airsealKey.toString(), "--type", "slsaprovenance", "--predicate", p.toString(),
        "--rekor-url", logUrl(), "--allow-http-registry", b).exit()).isZero();
    agree("(g) airseal attestation, slsaprovenance", true, "verify-attestation", "--key", airsealPub.toString(), "--type", "slsaprovenance", b);
  }

  @Test
  void v3BundleReferrers_verifyWithAirseal() throws Exception {
    String a = image("oracle/v3", "a");
    assertThat(airseal("sign", "--key", airsealKey.toString(), "--rekor-url", logUrl(), "--allow-http-registry",
        "--new-bundle-format", a).exit()).isZero();
    Run ok = airseal("verify", "--allow-http-registry", "--rekor-public-key", logKey().toString(),
        "--key", airsealPub.toString(), "-o", "json", a);
    assertThat(ok.exit()).as(ok.stderr() + ok.stdout()).isZero();
    JsonNode report = JSON.readTree(ok.stdout()).get(0);
    assertThat(report.path("verdict").asText()).isEqualTo("ALLOW");
    assertThat(report.at("/signatures/0/source").asText()).startsWith("referrer sha256:");
    assertThat(report.at("/signatures/0/payload/predicateType").asText()).isEqualTo("https://sigstore.dev/cosign/sign/v1");
    TABLE.add(String.format("  %-58s | %-5s | %-5s", "airseal v3 referrer, right key", "n/a", "pass"));

    Run wrongKey = airseal("verify", "--allow-http-registry", "--rekor-public-key", logKey().toString(),
        "--key", pub1(), a);
    assertThat(wrongKey.exit()).isEqualTo(1);
    assertThat(wrongKey.stderr()).contains("referrer sha256:", "content.dsse");
    TABLE.add(String.format("  %-58s | %-5s | %-5s", "airseal v3 referrer, untrusted key", "n/a", "fail"));
    // A sign bundle is not an attestation.
    assertThat(airseal("verify-attestation", "--allow-http-registry", "--rekor-public-key", logKey().toString(),
        "--key", airsealPub.toString(), a).stderr()).contains("no attestations found");
  }

  @Test
  void verify_refusesToRunWithoutATrustRoot() {
    Run r = airseal("verify", "--allow-http-registry", "--key", pub1(), registry.host + "/oracle/app@sha256:" + "0".repeat(64));
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.stderr()).contains("Airseal never fetches a trust root");
  }
}
