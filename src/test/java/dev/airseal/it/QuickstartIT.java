package dev.airseal.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airseal.peers.LocalRegistry;
import dev.airseal.testing.JarCli;
import dev.airseal.testing.Peers;
import dev.airseal.testing.ServiceProcess;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/quickstart.md, step by step, with the packaged jar: keys, a policy, the service, sign an
 * image in a real registry, carry its evidence in a transfer bundle, import it, and ask the
 * webhook over HTTPS. If this fails, the quickstart is wrong.
 */
class QuickstartIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD = "qs-" + UUID.randomUUID();

  @Test
  void signBundleImportAdmit(@TempDir Path tmp) throws Exception {
    Peers.require("docker-registry");
    try (LocalRegistry registry = LocalRegistry.start(Files.createDirectories(tmp.resolve("registry")))) {
      String host = registry.host;
      String app = registry.pushImage("team/app", "1.0", "hello.txt", "hello".getBytes(StandardCharsets.UTF_8));
      registry.pushImage("team/other", "1.0", "other.txt", "unsigned".getBytes(StandardCharsets.UTF_8));

      // 1. Keys: one signs releases, one signs transfer bundles.
      assertOk(cli(tmp, "keys", "generate", "--key", "release.key"));
      assertOk(cli(tmp, "keys", "generate", "--key", "transfer.key"));

      // 2. A Kyverno policy: images of the team must be signed with the release key.
      Path policies = Files.createDirectories(tmp.resolve("policies"));
      Files.writeString(policies.resolve("team-signed.yaml"), policy(host, Files.readString(tmp.resolve("release.pub"))));

      // 3. The appliance, trusting the transfer key for producer "factory".
      int https = ServiceProcess.freePort();
      try (ServiceProcess svc = new ServiceProcess(tmp.resolve("data"), ServiceProcess.freePort())
          .env("AIRSEAL_BUNDLE_TRANSFER_KEYS", "factory=" + tmp.resolve("transfer.pub").toAbsolutePath())
          .env("AIRSEAL_POLICY_DIR", policies.toAbsolutePath().toString())) {
        svc.start("-Dquarkus.http.ssl-port=" + https);

        // 4. Sign the image by digest (the signature is logged in the appliance's log).
        assertOk(cli(tmp, "sign", "--key", "release.key", "--rekor-url", svc.url(), "--allow-http-registry", "-y", app));

        // 5. Connected side: collect the evidence into a signed transfer bundle.
        assertOk(cli(tmp, "bundle", "create", "--key", "transfer.key", "--producer", "factory",
            "--state", "factory-state.json", "-o", "transfer.tar", "--signer-key", "release.pub",
            "--allow-http-registry", host + "/team/app:1.0"));

        // (Not in the quickstart) the same from the whole repository, image included (its layers
        // streamed from the registry into the bundle): its one image tag, not cosign's signature
        // tag beside it.
        JarCli.Result whole = cli(tmp, "bundle", "create", "--key", "transfer.key", "--producer", "factory",
            "--state", "factory-repo-state.json", "-o", "repository.tar", "--signer-key", "release.pub",
            "--allow-http-registry", "--include-images", "--repository", host + "/team/app");
        assertOk(whole);
        assertThat(whole.err()).contains(host + "/team/app: 1 tags");
        JarCli.Result listed = cli(tmp, "bundle", "inspect", "repository.tar", "--transfer-key", "factory=transfer.pub");
        assertOk(listed);
        assertThat(listed.out()).contains(host + "/team/app@sha256:").contains("tags [1.0]").contains(" 1 images")
            .contains("image carried");

        // 6. Disconnected side: import it (verified, all or nothing); a second import is a no-op.
        JarCli.Result imported = cli(tmp, "bundle", "--url", svc.url(), "import", "transfer.tar");
        assertOk(imported);
        JarCli.Result again = cli(tmp, "bundle", "--url", svc.url(), "import", "transfer.tar");
        assertOk(again);
        assertThat(again.out() + again.err()).containsIgnoringCase("already imported");

        // 7. The webhook: the signed image is admitted and pinned to its digest; the unsigned is not.
        HttpClient client = HttpClient.newBuilder()
            .sslContext(trusting(tmp.resolve("data/tls/ca.crt"))).build();
        JsonNode ok = review(client, https, "/mutate", host + "/team/app:1.0");
        assertThat(ok.path("response").path("allowed").asBoolean()).as(ok.toString()).isTrue();
        String patch = new String(Base64.getDecoder().decode(ok.path("response").path("patch").asText()), StandardCharsets.UTF_8);
        assertThat(patch).contains(host + "/team/app:1.0@sha256:");
        JsonNode denied = review(client, https, "/validate", host + "/team/other:1.0");
        assertThat(denied.path("response").path("allowed").asBoolean()).as(denied.toString()).isFalse();
        assertThat(denied.path("response").path("status").path("message").asText())
            .contains(host + "/team/other").contains("team-signed");
      }
    }
  }

  static JsonNode review(HttpClient client, int port, String path, String image) throws Exception {
    String uid = UUID.randomUUID().toString();
    String body = "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{"
        + "\"uid\":\"" + uid + "\",\"kind\":{\"group\":\"\",\"version\":\"v1\",\"kind\":\"Pod\"},"
        + "\"resource\":{\"group\":\"\",\"version\":\"v1\",\"resource\":\"pods\"},"
        + "\"name\":\"web\",\"namespace\":\"default\",\"operation\":\"CREATE\",\"userInfo\":{\"username\":\"dev\"},"
        + "\"object\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"web\",\"namespace\":\"default\"},"
        + "\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"" + image + "\"}]}},"
        + "\"oldObject\":null,\"dryRun\":false}}";
    HttpResponse<String> r = client.send(
        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode out = JSON.readTree(r.body());
    assertThat(out.path("response").path("uid").asText()).isEqualTo(uid);
    return out;
  }

  static SSLContext trusting(Path caPem) throws Exception {
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(caPem))));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  static String policy(String host, String releasePub) {
    StringBuilder pem = new StringBuilder();
    for (String line : releasePub.strip().split("\n")) {
      pem.append("                ").append(line).append('\n');
    }
    return "apiVersion: kyverno.io/v1\n"
        + "kind: ClusterPolicy\n"
        + "metadata:\n"
        + "  name: team-signed\n"
        + "spec:\n"
        + "  validationFailureAction: Enforce\n"
        + "  webhookTimeoutSeconds: 10\n"
        + "  rules:\n"
        + "  - name: release-key\n"
        + "    match:\n"
        + "      any:\n"
        + "      - resources:\n"
        + "          kinds: [Pod]\n"
        + "    verifyImages:\n"
        + "    - imageReferences: [\"" + host + "/team/*\"]\n"
        + "      attestors:\n"
        + "      - entries:\n"
        + "        - keys:\n"
        + "            publicKeys: |-\n"
        + pem;
  }

  private static void assertOk(JarCli.Result c) {
    assertThat(c.exit()).as("stdout:\n" + c.out() + "\nstderr:\n" + c.err()).isZero();
  }

  private static JarCli.Result cli(Path dir, String... args) throws Exception {
    return JarCli.run(dir, Map.of("COSIGN_PASSWORD", PASSWORD), List.of(), args);
  }
}
