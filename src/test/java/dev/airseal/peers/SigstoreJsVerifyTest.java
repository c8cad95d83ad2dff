package dev.airseal.peers;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.cli.AirsealCommand;
import dev.airseal.testing.Peers;
import dev.airseal.testing.Peers.Result;
import dev.airseal.testing.TestEntries;
import dev.airseal.testing.TrustedRoots;
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
import java.security.PublicKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * What Airseal's sign-blob and attest-blob write, sigstore-js accepts: {@code @sigstore/verify}
 * 4.1.3 (src/test/node/sigstore-verify/verify.mjs) checks each bundle offline against a trusted
 * root naming our log and the signer's PEM key, and refuses a tampered artifact, a root naming
 * another log key, and a bundle whose SET was altered.
 *
 * <p>sigstore-js accepts a checkpoint signature only if its signer name occurs in the log's
 * {@code baseUrl} in the trusted root, so the root names the log by the host in our checkpoints
 * ({@code airseal.log.hostname}, default the machine's host name), as sigstore-java needs too.
 */
@QuarkusTest
class SigstoreJsVerifyTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path PROJECT = Path.of("src/test/node/sigstore-verify").toAbsolutePath();
  private static final String CYCLONEDX = "https://cyclonedx.org/bom";

  @TempDir static Path dir;
  private static Path key;
  private static Path pub;
  private static Path artifact;

  @BeforeAll
  static void setUp() throws Exception {
    Peers.require("node");
    if (!Files.isDirectory(PROJECT.resolve("node_modules/@sigstore/verify"))) {
      Peers.unavailable("sigstore-js not installed in " + PROJECT + " (run .ci/install-node-deps.sh)");
    }
    KeyPair k = TestEntries.p256();
    key = Files.writeString(dir.resolve("signer.pem"), "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(k.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n");
    pub = Files.writeString(dir.resolve("signer.pub"), TestEntries.publicKeyPem(k));
    artifact = Files.writeString(dir.resolve("release.txt"), "release " + UUID.randomUUID());
  }

  private static String logUrl() {
    return "http://127.0.0.1:" + RestAssured.port;
  }

  /** Runs an airseal CLI command in this JVM and asserts it exits 0. */
  private static void airseal(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new AirsealCommand());
    cl.setErr(new PrintWriter(err));
    PrintStream old = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    int rc;
    try {
      rc = cl.execute(args);
    } finally {
      System.setErr(old);
    }
    assertThat(rc).as(String.join(" ", args) + "\n" + err + captured.toString(StandardCharsets.UTF_8)).isZero();
  }

  private static Path signBlob(String name) {
    Path bundle = dir.resolve(name);
    airseal("sign-blob", "--key", key.toString(), "--rekor-url", logUrl(), "--bundle", bundle.toString(), artifact.toString());
    return bundle;
  }

  private static Path attestBlob(String name) throws Exception {
    Path predicate = Files.writeString(dir.resolve("sbom.json"), "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.4\"}");
    Path bundle = dir.resolve(name);
    airseal("attest-blob", "--key", key.toString(), "--type", "cyclonedx", "--predicate", predicate.toString(),
        "--rekor-url", logUrl(), "--bundle", bundle.toString(), artifact.toString());
    return bundle;
  }

  private static PublicKey logKey() {
    return TrustedRoots.parsePem(given().get("/api/v1/log/publicKey").then().statusCode(200).extract().asString());
  }

  /** The host name our checkpoints carry, in the origin line and as the signer's name. */
  private static String checkpointHost() throws Exception {
    String note = JSON.readTree(given().get("/api/v1/log").asString()).path("signedTreeHead").asText();
    String origin = note.lines().findFirst().orElseThrow();
    return origin.substring(0, origin.lastIndexOf(" - "));
  }

  private static Path root(String file, PublicKey logKey, String baseUrl) {
    return TrustedRoots.write(dir.resolve(file), logKey, baseUrl, Instant.now().minus(1, ChronoUnit.DAYS));
  }

  /** A trusted root naming our log by the host its checkpoints are signed as. */
  private static Path ourRoot() throws Exception {
    return root("trusted_root.json", logKey(), "http://" + checkpointHost() + ":" + RestAssured.port);
  }

  private static Result verify(Path bundle, Path root, Path file, String... extra) {
    String[] args = new String[9 + extra.length];
    String[] fixed = {PROJECT.resolve("verify.mjs").toString(), "--bundle", bundle.toString(),
        "--trusted-root", root.toString(), "--artifact", file.toString(), "--key", pub.toString()};
    System.arraycopy(fixed, 0, args, 0, fixed.length);
    System.arraycopy(extra, 0, args, fixed.length, extra.length);
    return Peers.peer(dir, "node", args).run();
  }

  private static void assertRefused(Result r, String expectedError) {
    assertThat(r.exitCode()).as("sigstore-js accepted what it must refuse:\n" + r.describe()).isEqualTo(1);
    assertThat(r.stderr()).as(r.describe()).contains(expectedError);
  }

  @Test
  void signBlobBundle_verifies() throws Exception {
    Result r = verify(signBlob("signed.sigstore.json"), ourRoot(), artifact).succeeded();
    assertThat(r.stdout()).as(r.describe()).startsWith("OK messageSignature");
  }

  @Test
  void attestBlobBundle_verifiesWithItsPredicateType() throws Exception {
    Path bundle = attestBlob("attested.sigstore.json");
    Result r = verify(bundle, ourRoot(), artifact, "--type", CYCLONEDX).succeeded();
    assertThat(r.stdout()).as(r.describe()).startsWith("OK dsseEnvelope").contains("predicateType=" + CYCLONEDX);
    assertRefused(verify(bundle, ourRoot(), artifact, "--type", "https://slsa.dev/provenance/v1"), "predicateType is");
  }

  @Test
  void tamperedArtifact_isRefused() throws Exception {
    Path tampered = Files.writeString(dir.resolve("tampered.txt"), "not the release");
    assertRefused(verify(signBlob("tamper.sigstore.json"), ourRoot(), tampered), "SIGNATURE_ERROR");
    assertRefused(verify(attestBlob("tamper.att.json"), ourRoot(), tampered), "no subject has sha256");
  }

  @Test
  void trustedRootNamingAnotherLogKey_isRefused() throws Exception {
    Path otherLog = root("other_log_root.json", TestEntries.p256().getPublic(), "http://" + checkpointHost() + ":" + RestAssured.port);
    assertRefused(verify(signBlob("other-log.sigstore.json"), otherLog, artifact), "TLOG_INCLUSION_PROMISE_ERROR");
  }

  @Test
  void bundleWithModifiedSet_isRefused() throws Exception {
    ObjectNode bundle = (ObjectNode) JSON.readTree(signBlob("set.sigstore.json").toFile());
    ObjectNode promise = (ObjectNode) bundle.path("verificationMaterial").path("tlogEntries").path(0).path("inclusionPromise");
    byte[] set = Base64.getDecoder().decode(promise.path("signedEntryTimestamp").asText());
    // The last byte is inside the signature's s value, so the DER stays well-formed and only the
    // signature check can catch it.
    set[set.length - 1] ^= 0x01;
    promise.put("signedEntryTimestamp", Base64.getEncoder().encodeToString(set));
    Path modified = dir.resolve("bundle-with-modified-set.sigstore.json");
    JSON.writeValue(modified.toFile(), bundle);
    assertRefused(verify(modified, ourRoot(), artifact), "TLOG_INCLUSION_PROMISE_ERROR");
  }

  @Test
  void trustedRootNamingTheLogByAnotherHost_isRefused() throws Exception {
    // Documents the operational rule: the trusted root's baseUrl must contain the checkpoint signer
    // name (airseal.log.hostname); 127.0.0.1 reaches the log but is not the name it signs with.
    String host = checkpointHost();
    Assumptions.assumeFalse(logUrl().contains(host), "checkpoint host is " + host);
    Path byAddress = root("by_address_root.json", logKey(), logUrl());
    assertRefused(verify(signBlob("by-address.sigstore.json"), byAddress, artifact), "invalid checkpoint signature");
  }
}
