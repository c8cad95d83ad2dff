package dev.airseal.peers;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.signing.soft.SoftwareSigner;
import dev.airseal.testing.Peers;
import dev.airseal.testing.TestEntries;
import dev.airseal.testing.TrustedRoots;
import dev.airseal.tsa.TimestampResource;
import dev.airseal.tsa.TsaCertificates;
import dev.airseal.tsa.TsaChain;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;
import org.bouncycastle.asn1.cmp.PKIFailureInfo;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.tsp.TimeStampResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our RFC 3161 endpoint as its clients use it: openssl ts verifies our replies against the chain we
 * serve, and cosign 2.5 puts our timestamps into Sigstore bundles and verifies them against a
 * trusted root naming our TSA. Tampered replies and foreign roots are refused by both.
 */
@QuarkusTest
class TimestampAuthorityPeersTest {
  private static final String TSA_PATH = "/api/v1/timestamp";
  @TempDir static Path dir;

  private static String tsaUrl() {
    return "http://127.0.0.1:" + RestAssured.port + TSA_PATH;
  }

  private static byte[] post(byte[] query) {
    return given().contentType(TimestampResource.QUERY).body(query).post(TSA_PATH)
        .then().statusCode(200).contentType(TimestampResource.REPLY)
        .extract().asByteArray();
  }

  private static TsaChain servedChain() throws Exception {
    String pem = given().get(TSA_PATH + "/certchain").then().statusCode(200)
        .contentType(TimestampResource.PEM_CHAIN).extract().asString();
    return TsaChain.parsePem(pem);
  }

  private static Path pem(String name, TsaChain chain, int index) throws Exception {
    String all = chain.toPem();
    String[] blocks = all.split("(?<=-----END CERTIFICATE-----\\R)");
    return Files.writeString(dir.resolve(name), blocks[index], StandardCharsets.US_ASCII);
  }

  @Test
  void opensslVerifiesOurReply_andRefusesATamperedOneOrAForeignRoot() throws Exception {
    Path data = Files.writeString(dir.resolve("artifact.txt"), "artifact " + UUID.randomUUID());
    Path query = dir.resolve("q.tsq");
    Peers.peer(dir, "openssl", "ts", "-query", "-data", data.toString(), "-sha256", "-cert",
        "-out", query.toString()).run().succeeded();
    byte[] reply = post(Files.readAllBytes(query));
    Path tsr = Files.write(dir.resolve("r.tsr"), reply);
    TsaChain chain = servedChain();
    Path leaf = pem("leaf.pem", chain, 0);
    Path root = pem("root.pem", chain, 1);

    Peers.Result ok = Peers.peer(dir, "openssl", "ts", "-verify", "-in", tsr.toString(),
        "-queryfile", query.toString(), "-CAfile", root.toString(), "-untrusted", leaf.toString())
        .run().succeeded();
    assertThat(ok.stdout()).contains("Verification: OK");
    // certReq: the TSA certificate travels in the token, so the root alone verifies it.
    assertThat(Peers.peer(dir, "openssl", "ts", "-verify", "-in", tsr.toString(), "-data",
        data.toString(), "-CAfile", root.toString()).run().succeeded().stdout())
        .contains("Verification: OK");

    // A reply whose genTime was moved by a second: the signature no longer covers it.
    String genTime = java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'")
        .withZone(java.time.ZoneOffset.UTC)
        .format(new TimeStampResponse(reply).getTimeStampToken().getTimeStampInfo().getGenTime().toInstant());
    byte[] tampered = replaceOnce(reply, genTime.getBytes(StandardCharsets.US_ASCII),
        shiftLastSecondDigit(genTime).getBytes(StandardCharsets.US_ASCII));
    Path bad = Files.write(dir.resolve("tampered.tsr"), tampered);
    Peers.peer(dir, "openssl", "ts", "-verify", "-in", bad.toString(), "-queryfile",
        query.toString(), "-CAfile", root.toString(), "-untrusted", leaf.toString()).run().failed();

    Path other = Files.writeString(dir.resolve("other.txt"), "not the artifact");
    Peers.peer(dir, "openssl", "ts", "-verify", "-in", tsr.toString(), "-data", other.toString(),
        "-CAfile", root.toString()).run().failed();

    TsaChain foreign = TsaCertificates.issue(new SoftwareSigner(TestEntries.p256()),
        TestEntries.p256().getPublic(), new TsaCertificates.Names("Airseal", "Airseal TSA Root",
            "Airseal TSA"), Instant.now(), Duration.ofDays(1), new SecureRandom());
    Path foreignRoot = pem("foreign-root.pem", foreign, 1);
    Peers.peer(dir, "openssl", "ts", "-verify", "-in", tsr.toString(), "-data", data.toString(),
        "-CAfile", foreignRoot.toString()).run().failed();
  }

  private static String shiftLastSecondDigit(String genTime) {
    int i = genTime.length() - 2;
    char c = genTime.charAt(i);
    return genTime.substring(0, i) + (char) (c == '9' ? '8' : c + 1) + genTime.substring(i + 1);
  }

  private static byte[] replaceOnce(byte[] in, byte[] find, byte[] replacement) {
    for (int i = 0; i + find.length <= in.length; i++) {
      if (Arrays.equals(in, i, i + find.length, find, 0, find.length)) {
        byte[] out = in.clone();
        System.arraycopy(replacement, 0, out, i, replacement.length);
        return out;
      }
    }
    throw new AssertionError("genTime " + new String(find, StandardCharsets.US_ASCII) + " not in the reply");
  }

  @Test
  void badRequestsGetARejectionReply_notAServerError() throws Exception {
    TimeStampResponse garbage = new TimeStampResponse(post("not a TimeStampReq".getBytes(StandardCharsets.US_ASCII)));
    assertThat(garbage.getStatus()).isEqualTo(PKIStatus.REJECTION);
    assertThat(garbage.getFailInfo().intValue()).isEqualTo(PKIFailureInfo.badDataFormat);

    given().contentType(TimestampResource.QUERY).body(new byte[64 * 1024]).post(TSA_PATH)
        .then().statusCode(413);
    given().contentType("application/json").body("{}").post(TSA_PATH).then().statusCode(415);
  }

  @Test
  void certChain_isTheTsaCertificateThenItsSelfSignedRoot() throws Exception {
    TsaChain chain = servedChain();
    assertThat(chain.certificates()).hasSize(2);
    assertThat(chain.root().getSubject()).isEqualTo(chain.root().getIssuer());
    assertThat(chain.leaf().getSubject().toString()).isEqualTo("O=Airseal,CN=Airseal TSA");
  }

  @Test
  void cosignTimestampsABlobBundle_andVerifiesItAgainstATrustedRootNamingOurTsa() throws Exception {
    Peers.require("cosign");
    Peers.peer(dir, "cosign", "generate-key-pair").env("COSIGN_PASSWORD", "").run().succeeded();
    Path key = dir.resolve("cosign.key");
    Path pub = dir.resolve("cosign.pub");
    Path blob = Files.writeString(dir.resolve("release.bin"), "release " + UUID.randomUUID());
    Path bundle = dir.resolve("release.sigstore.json");
    Peers.Result signed = Peers.peer(dir, "cosign", "sign-blob", "-y", "--key", key.toString(),
        "--tlog-upload=false", "--timestamp-server-url", tsaUrl(), "--new-bundle-format",
        "--bundle", bundle.toString(), blob.toString())
        .env("COSIGN_PASSWORD", "").run().succeeded();
    assertThat(signed.stderr()).contains("Timestamp fetched with time");

    String chainPem = given().get(TSA_PATH + "/certchain").asString();
    Instant from = Instant.now().minus(1, ChronoUnit.DAYS);
    var logKey = TrustedRoots.parsePem(given().get("/api/v1/log/publicKey").asString());
    String logUrl = "http://127.0.0.1:" + RestAssured.port;
    Path root = TrustedRoots.write(dir.resolve("trusted_root.json"), logKey, logUrl, from,
        TrustedRoots.Tsa.fromPemChain("Airseal", "Airseal TSA Root", tsaUrl(), chainPem, from));

    Peers.Result ok = verifyBlob(root, bundle, pub, blob).succeeded();
    assertThat(ok.stderr()).contains("Verified OK");

    // The same bundle against a root naming another TSA: the timestamp no longer counts.
    TsaChain foreign = TsaCertificates.issue(new SoftwareSigner(TestEntries.p256()),
        TestEntries.p256().getPublic(), new TsaCertificates.Names("Airseal", "Airseal TSA Root",
            "Airseal TSA"), from, Duration.ofDays(2), new SecureRandom());
    Path foreignRoot = TrustedRoots.write(dir.resolve("foreign_root.json"), logKey, logUrl, from,
        TrustedRoots.Tsa.fromPemChain("Airseal", "Airseal TSA Root", tsaUrl(), foreign.toPem(), from));
    assertThat(verifyBlob(foreignRoot, bundle, pub, blob).failed().stderr())
        .contains("threshold not met for verified signed timestamps");

    // A timestamp whose signature was altered.
    ObjectMapper json = new ObjectMapper();
    ObjectNode b = (ObjectNode) json.readTree(bundle.toFile());
    ObjectNode ts = (ObjectNode) b.at("/verificationMaterial/timestampVerificationData/rfc3161Timestamps/0");
    byte[] token = Base64.getDecoder().decode(ts.get("signedTimestamp").asText());
    token[token.length - 1] ^= 0x01;
    ts.put("signedTimestamp", Base64.getEncoder().encodeToString(token));
    Path tampered = Files.writeString(dir.resolve("tampered.sigstore.json"), json.writeValueAsString(b));
    assertThat(verifyBlob(root, tampered, pub, blob).failed().stderr())
        .contains("threshold not met for verified signed timestamps");
  }

  private static Peers.Result verifyBlob(Path root, Path bundle, Path pub, Path blob) {
    return Peers.peer(dir, "cosign", "verify-blob", "--new-bundle-format", "--bundle",
        bundle.toString(), "--trusted-root", root.toString(), "--key", pub.toString(),
        "--use-signed-timestamps", "--insecure-ignore-tlog=true", blob.toString()).run();
  }
}
