package dev.airseal.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airseal.oci.ImageReference;
import dev.airseal.peers.LocalRegistry;
import dev.airseal.testing.JarCli;
import dev.airseal.testing.Peers;
import dev.airseal.testing.ServiceProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A site that used cosign's air-gap verbs switches to transfer bundles without re-signing, with the
 * real cosign 2.5 at both ends: an image signed and attested by cosign (into the appliance's log) is
 * saved with {@code cosign save}, carried by {@code bundle create --cosign-dir}, imported and
 * admitted; then {@code bundle export --cosign-dir} writes layouts that {@code cosign load} pushes
 * into a second registry, where {@code cosign verify} and {@code verify-attestation} accept them.
 */
class CosignSaveLoadIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD = "cl-" + UUID.randomUUID();

  @Test
  void cosignSave_bundle_import_admit_export_cosignLoad_cosignVerify(@TempDir Path tmp) throws Exception {
    Peers.require("cosign");
    Peers.require("docker-registry");
    try (LocalRegistry upstream = LocalRegistry.start(Files.createDirectories(tmp.resolve("upstream")));
        LocalRegistry site = LocalRegistry.start(Files.createDirectories(tmp.resolve("site")))) {
      String image = upstream.pushImage("team/app", "1.0", "app.txt", "app".getBytes(StandardCharsets.UTF_8));
      ImageReference ref = ImageReference.parse(image);
      cosign(tmp, "generate-key-pair").succeeded();
      assertOk(cli(tmp, "keys", "generate", "--key", "transfer.key"));
      Path policies = Files.createDirectories(tmp.resolve("policies"));
      Files.writeString(policies.resolve("team-signed.yaml"),
          QuickstartIT.policy(upstream.host, Files.readString(tmp.resolve("cosign.pub"))));

      int https = ServiceProcess.freePort();
      try (ServiceProcess svc = new ServiceProcess(tmp.resolve("data"), ServiceProcess.freePort())
          .env("AIRSEAL_BUNDLE_TRANSFER_KEYS", "factory=" + tmp.resolve("transfer.pub").toAbsolutePath())
          .env("AIRSEAL_POLICY_DIR", policies.toAbsolutePath().toString())) {
        svc.start("-Dquarkus.http.ssl-port=" + https);
        Files.writeString(tmp.resolve("log.pub"), HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create(svc.url() + "/api/v1/log/publicKey")).build(),
            HttpResponse.BodyHandlers.ofString()).body());

        // Connected side, as before the switch: cosign signs and attests, then saves.
        cosign(tmp, "sign", "-y", "--key", "cosign.key", "--rekor-url", svc.url(), "--allow-http-registry", image)
            .succeeded();
        Files.writeString(tmp.resolve("provenance.json"), "{\"buildType\":\"https://example/ci\",\"builder\":{\"id\":\"ci\"}}");
        cosign(tmp, "attest", "-y", "--key", "cosign.key", "--type", "slsaprovenance", "--predicate",
            "provenance.json", "--rekor-url", svc.url(), "--allow-http-registry", image).succeeded();
        cosign(tmp, "save", "--allow-http-registry", "--dir", "saved", image).succeeded();
        assertThat(JSON.readTree(tmp.resolve("saved/index.json").toFile()).path("manifests").findValuesAsText("kind"))
            .containsExactlyInAnyOrder("dev.cosignproject.cosign/image", "dev.cosignproject.cosign/sigs",
                "dev.cosignproject.cosign/atts");

        // The saved directory goes into a transfer bundle; the repository comes from the signed payload.
        JarCli.Result created = cli(tmp, "bundle", "create", "--key", "transfer.key", "--producer", "factory",
            "--state", "state.json", "-o", "transfer.tar", "--signer-key", "cosign.pub", "--include-images",
            "--cosign-dir", "saved");
        assertOk(created);
        assertThat(created.err()).contains(upstream.host + "/team/app@" + ref.digest(), "image carried");

        // Disconnected side: imported (signature and attestation verified) and admitted by digest.
        JarCli.Result imported = cli(tmp, "bundle", "--url", svc.url(), "import", "transfer.tar");
        assertOk(imported);
        assertThat(imported.out()).contains("imported  " + upstream.host + "/team/app@" + ref.digest() + " (1 sig, 1 att)");
        JsonNode ok = QuickstartIT.review(HttpClient.newBuilder()
            .sslContext(QuickstartIT.trusting(tmp.resolve("data/tls/ca.crt"))).build(), https, "/validate", image);
        assertThat(ok.path("response").path("allowed").asBoolean()).as(ok.toString()).isTrue();

        // And back out as cosign layouts, loaded into the site registry and verified by cosign.
        JarCli.Result exported = cli(tmp, "bundle", "export", "transfer.tar", "--cosign-dir", "exported",
            "--transfer-key", "factory=transfer.pub");
        assertOk(exported);
        Matcher load = Pattern.compile("cosign load --dir (\\S+) REGISTRY/(\\S+)").matcher(exported.out());
        assertThat(load.find()).as(exported.out()).isTrue();
        String target = site.host + "/" + load.group(2);
        assertThat(target).isEqualTo(site.host + "/team/app@" + ref.digest());
        cosign(tmp, "load", "--allow-http-registry", "--dir", load.group(1), target).succeeded();

        Path logKey = tmp.resolve("log.pub");
        Peers.Result verified = cosignWithLog(tmp, logKey, "verify", "--offline", "--allow-http-registry", "--key",
            "cosign.pub", target).succeeded();
        assertThat(verified.stdout()).contains(ref.digest().toString());
        assertThat(verified.stderr()).contains("Existence of the claims in the transparency log was verified offline");
        cosignWithLog(tmp, logKey, "verify-attestation", "--offline", "--allow-http-registry", "--key", "cosign.pub",
            "--type", "slsaprovenance", target).succeeded();
        // Not vacuous: another key does not verify, and the image itself was loaded too.
        cosignWithLog(tmp, logKey, "verify", "--offline", "--allow-http-registry", "--key", "transfer.pub", target)
            .failed();
        assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + site.host
                + "/v2/team/app/manifests/" + ref.digest())).header("Accept", "application/vnd.oci.image.manifest.v1+json")
            .build(), HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);

        // A hostile layout (index naming a blob the directory lacks) is refused, and no bundle written.
        JsonNode index = JSON.readTree(tmp.resolve("saved/index.json").toFile());
        String sig = index.path("manifests").findValues("digest").get(1).asText().substring("sha256:".length());
        Files.delete(tmp.resolve("saved/blobs/sha256/" + sig));
        JarCli.Result hostile = cli(tmp, "bundle", "create", "--key", "transfer.key", "--producer", "factory",
            "--state", "state.json", "-o", "hostile.tar", "--signer-key", "cosign.pub", "--cosign-dir", "saved");
        assertThat(hostile.exit()).isNotZero();
        assertThat(hostile.err()).contains("the layout names blob sha256:" + sig, "does not hold");
        assertThat(tmp.resolve("hostile.tar")).doesNotExist();
      }
    }
  }

  private static Peers.Result cosign(Path dir, String... args) {
    return Peers.peer(dir, "cosign", args).env("COSIGN_PASSWORD", PASSWORD).run();
  }

  private static Peers.Result cosignWithLog(Path dir, Path logKey, String... args) {
    return Peers.peer(dir, "cosign", args).env("SIGSTORE_REKOR_PUBLIC_KEY", logKey.toString()).run();
  }

  private static void assertOk(JarCli.Result c) {
    assertThat(c.exit()).as("stdout:\n" + c.out() + "\nstderr:\n" + c.err()).isZero();
  }

  private static JarCli.Result cli(Path dir, String... args) throws Exception {
    return JarCli.run(dir, Map.of("COSIGN_PASSWORD", PASSWORD), List.of(), args);
  }
}
