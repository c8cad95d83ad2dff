package dev.airseal.cli;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.airseal.testing.TestEntries;
import dev.airseal.testing.TrustedRoots;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code airseal sign-blob} and {@code attest-blob} write, {@code verify-blob} and {@code
 * verify-blob-attestation} accept, against a trusted root naming the test's log; tampering, another
 * key and another predicate type are refused.
 */
@QuarkusTest
class VerifyBlobOfAirsealBundlesTest {
  @TempDir static Path dir;
  private static Path key;
  private static Path pub;
  private static Path otherPub;

  @BeforeAll
  static void keys() throws Exception {
    KeyPair k = TestEntries.p256();
    key = Files.writeString(dir.resolve("signer.pem"), "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(k.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n");
    pub = Files.writeString(dir.resolve("signer.pub"), TestEntries.publicKeyPem(k));
    otherPub = Files.writeString(dir.resolve("other.pub"), TestEntries.publicKeyPem(TestEntries.p256()));
  }

  private static String logUrl() {
    return "http://127.0.0.1:" + RestAssured.port;
  }

  private static Path root() {
    return TrustedRoots.write(dir.resolve("trusted_root.json"),
        TrustedRoots.parsePem(given().get("/api/v1/log/publicKey").then().statusCode(200).extract().asString()),
        logUrl(), Instant.now().minus(1, ChronoUnit.DAYS));
  }

  private static CliRun airseal(String... args) {
    return CliRun.of(new AirsealCommand(), args);
  }

  @Test
  void signBlobBundle_verifies_withPublicKeyOrKeyReference_andNotTampered() throws Exception {
    Path blob = Files.writeString(dir.resolve("release.txt"), "release " + UUID.randomUUID());
    Path bundle = dir.resolve("release.sigstore.json");
    CliRun signed = airseal("sign-blob", "--key", key.toString(), "--rekor-url", logUrl(), "--bundle", bundle.toString(), blob.toString());
    assertThat(signed.exit()).as(signed.toString()).isZero();
    Path root = root();

    for (Path k : new Path[] {pub, key}) {
      CliRun ok = airseal("verify-blob", "--bundle", bundle.toString(), "--key", k.toString(),
          "--trusted-root", root.toString(), "--new-bundle-format", "--offline", blob.toString());
      assertThat(ok.exit()).as(ok.toString()).isZero();
      assertThat(ok.err()).contains("Verified OK");
    }

    Path tampered = Files.writeString(dir.resolve("tampered.txt"), "not the release");
    CliRun bad = airseal("verify-blob", "--bundle", bundle.toString(), "--key", pub.toString(),
        "--trusted-root", root.toString(), tampered.toString());
    assertThat(bad.exit()).as(bad.toString()).isEqualTo(1);
    assertThat(bad.err()).contains("verification failed");

    CliRun other = airseal("verify-blob", "--bundle", bundle.toString(), "--key", otherPub.toString(),
        "--trusted-root", root.toString(), blob.toString());
    assertThat(other.exit()).as(other.toString()).isEqualTo(1);
    assertThat(other.err()).contains("content.signature");

    // A root that names some other log: the entry is not from a trusted log.
    Path otherRoot = TrustedRoots.write(dir.resolve("other_root.json"), TestEntries.p256().getPublic(), logUrl(),
        Instant.now().minus(1, ChronoUnit.DAYS));
    CliRun untrusted = airseal("verify-blob", "--bundle", bundle.toString(), "--key", pub.toString(),
        "--trusted-root", otherRoot.toString(), blob.toString());
    assertThat(untrusted.exit()).as(untrusted.toString()).isEqualTo(1);
    assertThat(untrusted.err()).contains("tlog.log");
  }

  @Test
  void attestBlobBundle_verifiesForItsType_only() throws Exception {
    Path blob = Files.writeString(dir.resolve("app.tar"), "app " + UUID.randomUUID());
    Path predicate = Files.writeString(dir.resolve("sbom.json"), "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.4\"}");
    Path att = dir.resolve("app.att.json");
    CliRun attested = airseal("attest-blob", "--key", key.toString(), "--type", "cyclonedx", "--predicate", predicate.toString(),
        "--rekor-url", logUrl(), "--bundle", att.toString(), blob.toString());
    assertThat(attested.exit()).as(attested.toString()).isZero();
    Path root = root();

    CliRun ok = airseal("verify-blob-attestation", "--bundle", att.toString(), "--key", pub.toString(), "--type", "cyclonedx",
        "--trusted-root", root.toString(), "--output", "json", blob.toString());
    assertThat(ok.exit()).as(ok.toString()).isZero();
    assertThat(ok.out()).contains("\"verified\" : true").contains("https://cyclonedx.org/bom");

    CliRun wrongType = airseal("verify-blob-attestation", "--bundle", att.toString(), "--key", pub.toString(),
        "--type", "slsaprovenance", "--trusted-root", root.toString(), blob.toString());
    assertThat(wrongType.exit()).as(wrongType.toString()).isEqualTo(1);
    assertThat(wrongType.err()).contains("content.predicateType");

    Path otherBlob = Files.writeString(dir.resolve("other.tar"), "other");
    CliRun wrongSubject = airseal("verify-blob-attestation", "--bundle", att.toString(), "--key", pub.toString(),
        "--type", "cyclonedx", "--trusted-root", root.toString(), otherBlob.toString());
    assertThat(wrongSubject.exit()).as(wrongSubject.toString()).isEqualTo(1);
    assertThat(wrongSubject.err()).contains("content.subject");

    // verify-blob checks the signature and subject, but not the predicate type.
    CliRun asBlob = airseal("verify-blob", "--bundle", att.toString(), "--key", pub.toString(),
        "--trusted-root", root.toString(), blob.toString());
    assertThat(asBlob.exit()).as(asBlob.toString()).isZero();
  }
}
