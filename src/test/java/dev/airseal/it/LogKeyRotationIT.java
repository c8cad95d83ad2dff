package dev.airseal.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.log.Hex;
import dev.airseal.log.Rfc6962;
import dev.airseal.testing.JarCli;
import dev.airseal.testing.Peers;
import dev.airseal.testing.ServiceProcess;
import dev.airseal.testing.TestEntries;
import dev.airseal.testing.TrustedRoots;
import dev.airseal.trust.TlogInstance;
import dev.airseal.trust.TrustedRoot;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code trust rotate-log-key} on the packaged service: entries from before and after verify with
 * the new trusted_root.json (our verifier and cosign), the tree is the same one, and a restart
 * signs with the rotated key, found through the trust root.
 */
class LogKeyRotationIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void rotateLogKey_keepsOldEntriesVerifiable_signsNewOnesWithTheNewKey_andSurvivesARestart(@TempDir Path tmp)
      throws Exception {
    Peers.require("cosign");
    Path data = tmp.resolve("data");
    int port = ServiceProcess.freePort();
    String url = "http://127.0.0.1:" + port;
    // sigstore clients look for the checkpoint signature named as the trust root's baseUrl host;
    // cosign 2.5 reads only the v0.1 trusted-root media type.
    String[] props = {"-Dairseal.log.hostname=127.0.0.1", "-Dairseal.trust.log-url=" + url,
        "-Dairseal.trust.media-version=0.1"};
    KeyPair k = TestEntries.p256();
    Path key = Files.writeString(tmp.resolve("signer.pem"), "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(k.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n");
    Path pub = Files.writeString(tmp.resolve("signer.pub"), TestEntries.publicKeyPem(k));
    Path root = tmp.resolve("trusted_root.json");
    String oldKeyId;
    String newKeyId;
    Path before;
    Path after;
    try (ServiceProcess svc = new ServiceProcess(data, port).start(props)) {
      // cosign refuses an entry at log index 0 ("nil value in transaction log entry"); the log's
      // genesis entry holds it, and one more entry gives the proofs below a hash or two.
      signBlob(tmp, url, key, "first");
      before = signBlob(tmp, url, key, "before");
      oldKeyId = keyId(get(url + "/api/v1/log/publicKey"));
      Path rootV1 = Files.writeString(tmp.resolve("root-v1.json"), get(url + "/api/v1/trust-root"));

      assertThat(post(url + "/api/v1/trust-root/rotate-log-key", "{\"reason\":\"\"}").statusCode()).isEqualTo(400);
      JarCli.Result rotated = cli(tmp, "trust", "rotate-log-key", "--url", url, "--reason", "annual log key rotation");
      assertThat(rotated.exit()).as(rotated.err()).isZero();
      assertThat(rotated.err()).contains("log key rotated");
      newKeyId = keyId(get(url + "/api/v1/log/publicKey"));
      assertThat(newKeyId).isNotEqualTo(oldKeyId);
      assertThat(Files.list(data.resolve("keys")).map(p -> p.getFileName().toString()))
          .anyMatch(n -> n.matches("log-key-\\d+\\.pem"));
      Thread.sleep(3_000); // past the switch second

      after = signBlob(tmp, url, key, "after");
      assertThat(cli(tmp, "trust", "export", "--url", url, "-o", root.toString()).exit()).isZero();
      TrustedRoot tr = TrustedRoot.read(root);
      TlogInstance old = tr.tlogByLogId(HexFormat.of().parseHex(oldKeyId)).orElseThrow();
      TlogInstance fresh = tr.tlogByLogId(HexFormat.of().parseHex(newKeyId)).orElseThrow();
      assertThat(old.baseUrl()).isEqualTo(fresh.baseUrl()).isEqualTo(url);
      assertThat(old.validFor().end()).isEqualTo(fresh.validFor().start().minusSeconds(1));
      assertThat(fresh.validFor().end()).isNull();

      // Same tree: both bundles' entries are in it, each under the key of its time.
      assertThat(bundleLogId(before)).isEqualTo(oldKeyId);
      assertThat(bundleLogId(after)).isEqualTo(newKeyId);
      assertThat(origin(before)).isEqualTo(origin(after));

      verifies(tmp, root, pub, before, after);
      // The old root does not know the new key.
      JarCli.Result oldRoot = cli(tmp, "verify-blob", "--bundle", after.toString(), "--trusted-root", rootV1.toString(),
          "--key", pub.toString(), blob(tmp, "after").toString());
      assertThat(oldRoot.exit()).isNotZero();
      assertThat(oldRoot.err()).contains("not a transparency log of the trusted root");

      // A proof fetched now for the entry from before ends in a checkpoint by the new key.
      Path refreshed = withFreshProof(url, before, tmp.resolve("before-refreshed.json"));
      JarCli.Result r = cli(tmp, "verify-blob", "--bundle", refreshed.toString(), "--trusted-root", root.toString(),
          "--key", pub.toString(), blob(tmp, "before").toString());
      assertThat(r.exit()).as(r.err()).isZero();

      HttpResponse<String> remove = post(url + "/api/v1/trust-root/remove",
          "{\"kind\":\"tlog\",\"id\":\"" + oldKeyId + "\",\"reason\":\"retired\"}");
      assertThat(remove.statusCode()).isEqualTo(400);
      assertThat(remove.body()).contains("own log");
    }

    try (ServiceProcess svc = new ServiceProcess(data, port).start(props)) {
      assertThat(keyId(get(url + "/api/v1/log/publicKey"))).isEqualTo(newKeyId);
      Path third = signBlob(tmp, url, key, "after restart");
      assertThat(bundleLogId(third)).isEqualTo(newKeyId);
      assertThat(origin(third)).isEqualTo(origin(before));
      verifies(tmp, root, pub, before, after, third);
      assertThat(svc.output()).doesNotContain("BEGIN PRIVATE KEY");
    }
  }

  private void verifies(Path tmp, Path root, Path pub, Path... bundles) throws Exception {
    // The v0.1 export as it is: cosign 2.5 reads it without edits.
    Path forCosign = root;
    for (Path b : bundles) {
      Path blob = blob(tmp, b.getFileName().toString().replace(".sigstore.json", "").replace('_', ' '));
      JarCli.Result r = cli(tmp, "verify-blob", "--bundle", b.toString(), "--trusted-root", root.toString(),
          "--key", pub.toString(), blob.toString());
      assertThat(r.exit()).as(b + ": " + r.err()).isZero();
      Peers.peer(tmp, "cosign", "verify-blob", "--offline", "--new-bundle-format", "--bundle", b.toString(),
          "--trusted-root", forCosign.toString(), "--key", pub.toString(), blob.toString()).run().succeeded();
    }
  }

  private static Path blob(Path tmp, String name) {
    return tmp.resolve(name.replace(' ', '_') + ".txt");
  }

  private Path signBlob(Path tmp, String url, Path key, String name) throws Exception {
    Path blob = Files.writeString(blob(tmp, name), name + " " + UUID.randomUUID());
    Path bundle = tmp.resolve(name.replace(' ', '_') + ".sigstore.json");
    JarCli.Result r = cli(tmp, "sign-blob", "--key", key.toString(), "--rekor-url", url, "--bundle", bundle.toString(),
        blob.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    return bundle;
  }

  // The bundle's entry with the inclusion proof the log serves now (Rekor v1 GET by index).
  private Path withFreshProof(String url, Path bundle, Path out) throws Exception {
    ObjectNode b = (ObjectNode) JSON.readTree(Files.readAllBytes(bundle));
    ObjectNode entry = (ObjectNode) b.path("verificationMaterial").path("tlogEntries").get(0);
    JsonNode got = JSON.readTree(get(url + "/api/v1/log/entries?logIndex=" + entry.path("logIndex").asText()));
    JsonNode proof = got.elements().next().path("verification").path("inclusionProof");
    ObjectNode p = JSON.createObjectNode();
    p.put("logIndex", proof.path("logIndex").asText());
    p.put("rootHash", Base64.getEncoder().encodeToString(Hex.decode(proof.path("rootHash").asText())));
    p.put("treeSize", proof.path("treeSize").asText());
    ArrayNode hashes = p.putArray("hashes");
    proof.path("hashes").forEach(h -> hashes.add(Base64.getEncoder().encodeToString(Hex.decode(h.asText()))));
    p.putObject("checkpoint").put("envelope", proof.path("checkpoint").asText());
    assertThat(proof.path("treeSize").asLong())
        .isGreaterThan(entry.path("inclusionProof").path("treeSize").asLong());
    entry.set("inclusionProof", p);
    Files.write(out, JSON.writeValueAsBytes(b));
    return out;
  }

  private static String bundleLogId(Path bundle) throws Exception {
    String b64 = JSON.readTree(Files.readAllBytes(bundle)).path("verificationMaterial").path("tlogEntries").get(0)
        .path("logId").path("keyId").asText();
    return Hex.encode(Base64.getDecoder().decode(b64));
  }

  private static String origin(Path bundle) throws Exception {
    String cp = JSON.readTree(Files.readAllBytes(bundle)).path("verificationMaterial").path("tlogEntries").get(0)
        .path("inclusionProof").path("checkpoint").path("envelope").asText();
    return cp.substring(0, cp.indexOf('\n'));
  }

  private static String keyId(String pem) throws Exception {
    return Hex.encode(Rfc6962.sha256(TrustedRoots.parsePem(pem).getEncoded()));
  }

  private static JarCli.Result cli(Path dir, String... args) throws Exception {
    return JarCli.run(dir, Map.of(), List.of(), args);
  }

  private String get(String u) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(u)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(u + ": " + r.body()).isEqualTo(200);
    return r.body();
  }

  private HttpResponse<String> post(String u, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(u)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
