package dev.airseal.admission;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.evidence.EvidenceService;
import dev.airseal.oci.ImageReference;
import dev.airseal.signing.SignatureAlgorithm;
import dev.airseal.signing.Signer;
import dev.airseal.signing.soft.KeyGeneration;
import dev.airseal.signing.soft.KeyFiles;
import dev.airseal.signing.soft.SoftwareSigner;
import dev.airseal.store.AuditEvent;
import dev.airseal.store.AuditLog;
import dev.airseal.store.EvidenceBatch;
import dev.airseal.store.Revocation;
import dev.airseal.testing.Peers;
import dev.airseal.testing.Vectors;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
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
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The webhook over HTTPS, as the API server calls it: AdmissionReviews wrapping pods whose images
 * were signed and attested by the project's signer (into the evidence store, or only into the site
 * registry mirror), checked against a Kyverno policy uploaded through the API and the Flux vector
 * policy from the policy directory.
 */
@QuarkusTest
// Not restricted to this class: every @QuarkusTest then shares one application (a restart would leave
// the first instance's gauges behind in the global meter registry).
@QuarkusTestResource(SiteRegistryResource.class)
class AdmissionWebhookTest {
  private static final String SCAN = "https://example.com/scan/v1";
  private static boolean ready;
  private static Signer release;
  private static Signer stranger;
  private static Signer compromised;
  private static String reg;
  private static ImageReference stored;
  private static ImageReference unsigned;
  private static ImageReference wronglySigned;
  private static ImageReference attested;
  private static ImageReference attestationMissing;
  private static ImageReference attestationFailing;
  private static ImageReference mirrored;
  private static ImageReference revoked;
  private static HttpClient https;

  @Inject EvidenceService evidence;
  @Inject AdmissionService admission;
  @Inject jakarta.enterprise.inject.Instance<DataSource> dataSource;

  @BeforeEach
  void setUp() throws Exception {
    Peers.require("docker-registry");
    if (ready) {
      return;
    }
    https = httpsClient();
    reg = SiteRegistryResource.registry.host;
    release = signer();
    stranger = signer();
    compromised = signer();
    var site = SiteRegistryResource.registry;
    stored = ImageReference.parse(site.pushImage("team/stored", "1.0", "f", bytes("stored")));
    unsigned = ImageReference.parse(site.pushImage("team/unsigned", "1.0", "f", bytes("unsigned")));
    wronglySigned = ImageReference.parse(site.pushImage("team/wrong", "1.0", "f", bytes("wrong")));
    attested = ImageReference.parse(site.pushImage("team/attested", "1.0", "f", bytes("attested")));
    attestationMissing = ImageReference.parse(site.pushImage("team/attested-missing", "1.0", "f", bytes("missing")));
    attestationFailing = ImageReference.parse(site.pushImage("team/attested-failing", "1.0", "f", bytes("failing")));
    mirrored = ImageReference.parse(site.pushImage("team/mirrored", "1.0", "f", bytes("mirrored")));
    revoked = ImageReference.parse(site.pushImage("team/revoked", "1.0", "f", bytes("revoked")));
    SignedImages s = new SignedImages("http://127.0.0.1:" + ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class));
    evidence.commit(s.signToStore(stored, release, "1.0"));
    evidence.commit(s.signToStore(wronglySigned, stranger, "1.0"));
    evidence.commit(s.attestToStore(attested, release, SCAN, Reviews.JSON.createObjectNode().put("result", "pass"),
        s.signToStore(attested, release, "1.0")));
    evidence.commit(s.signToStore(attestationMissing, release, "1.0"));
    evidence.commit(s.attestToStore(attestationFailing, release, SCAN, Reviews.JSON.createObjectNode().put("result", "fail"),
        s.signToStore(attestationFailing, release, "1.0")));
    evidence.commit(s.signToStore(revoked, compromised, "1.0"));
    s.signInRegistry(mirrored, release);
    given().body(policy()).put("/api/v1/policies/site-images.yaml").then().statusCode(201);
    ready = true;
  }

  private static String policy() throws Exception {
    String keys = "            - keys:\n                publicKeys: |-\n"
        + indent(KeyFiles.publicKeyPem(release.publicKey()) + KeyFiles.publicKeyPem(compromised.publicKey()), 18);
    return String.join("\n",
        "apiVersion: kyverno.io/v1",
        "kind: ClusterPolicy",
        "metadata:",
        "  name: site-images",
        "spec:",
        "  validationFailureAction: Enforce",
        "  webhookTimeoutSeconds: 10",
        "  rules:",
        "  - name: signed-by-release-key",
        "    match:",
        "      any:",
        "      - resources:",
        "          kinds: [Pod]",
        "    exclude:",
        "      any:",
        "      - resources:",
        "          namespaces: [excluded]",
        "    verifyImages:",
        "    - imageReferences: [\"" + reg + "/team/*\"]",
        "      mutateDigest: true",
        "      verifyDigest: true",
        "      attestors:",
        "      - count: 1",
        "        entries:",
        keys.replace("            - keys", "        - keys").replace("\n" + " ".repeat(16) + "publicKeys", "\n" + " ".repeat(12) + "publicKeys"),
        "  - name: scanned",
        "    match:",
        "      any:",
        "      - resources:",
        "          kinds: [Pod]",
        "    verifyImages:",
        "    - imageReferences: [\"" + reg + "/team/attested*\"]",
        "      mutateDigest: false",
        "      verifyDigest: false",
        "      attestations:",
        "      - type: " + SCAN,
        "        attestors:",
        "        - entries:",
        "          - keys:",
        "              publicKeys: |-",
        indent(KeyFiles.publicKeyPem(release.publicKey()), 16),
        "        conditions:",
        "        - all:",
        "          - key: \"{{ result }}\"",
        "            operator: Equals",
        "            value: pass",
        "");
  }

  private static String indent(String pem, int n) {
    StringBuilder sb = new StringBuilder();
    for (String line : pem.strip().split("\n")) {
      sb.append(" ".repeat(n)).append(line).append('\n');
    }
    return sb.toString().stripTrailing();
  }

  // --- the cases -----------------------------------------------------------------------------

  @Test
  void signedImage_byTag_isPinnedToItsDigestOnMutate_andAllowedByDigestOnValidate() throws Exception {
    String tagged = stored.context() + ":1.0";
    JsonNode m = post("/mutate", Reviews.review("CREATE", "default", Reviews.pod("signed", tagged), null));
    assertThat(m.path("response").path("allowed").asBoolean()).as(m.toString()).isTrue();
    assertThat(m.path("response").path("patchType").asText()).isEqualTo("JSONPatch");
    JsonNode op = Reviews.patch(m).get(0);
    assertThat(op.path("op").asText()).isEqualTo("replace");
    assertThat(op.path("path").asText()).isEqualTo("/spec/containers/0/image");
    assertThat(op.path("value").asText()).isEqualTo(tagged + "@" + stored.digest());

    JsonNode v = post("/validate", Reviews.review("CREATE", "default", Reviews.pod("signed", op.path("value").asText()), null));
    assertThat(v.path("response").path("allowed").asBoolean()).as(v.toString()).isTrue();
    assertThat(v.path("response").has("patch")).isFalse();
  }

  @Test
  void aRepeatedReview_isAnsweredFromMemory_withTheSameVerdict() throws Exception {
    admission.clearCache();
    double memoryBefore = answers("memory");
    double workerBefore = answers("worker");
    JsonNode first = validate("repeat", stored);
    JsonNode again = validate("repeat", stored);
    assertThat(first.path("response").path("allowed").asBoolean()).as(first.toString()).isTrue();
    ((ObjectNode) first.path("response")).remove("uid");
    ((ObjectNode) again.path("response")).remove("uid");
    assertThat(again.path("response")).isEqualTo(first.path("response"));
    // The first needed the store and a verification (a worker thread); the second only cached verdicts.
    assertThat(answers("worker")).isGreaterThan(workerBefore);
    assertThat(answers("memory")).isGreaterThan(memoryBefore);
  }

  @Test
  void reviewsAnsweredFromMemory_areEachAudited_withTheirDetail() throws Exception {
    validate("warm-audit", stored); // verifies once; the rest are answered from memory
    double memoryBefore = answers("memory");
    java.util.Set<String> uids = new java.util.HashSet<>();
    for (int i = 0; i < 20; i++) {
      uids.add(validate("warm-audit", stored).path("response").path("uid").asText());
    }
    assertThat(answers("memory")).isGreaterThanOrEqualTo(memoryBefore + 20);
    AuditLog log = new AuditLog(dataSource.get());
    long deadline = System.nanoTime() + 5_000_000_000L;
    List<AuditEvent> found = List.of();
    while (found.size() < uids.size() && System.nanoTime() < deadline) {
      Thread.sleep(50);
      found = log.recent(AdmissionService.AUDIT_KIND, 500).stream()
          .filter(e -> uids.contains(Reviews.read(e.detail().getBytes(StandardCharsets.UTF_8)).path("uid").asText()))
          .toList();
    }
    assertThat(found).hasSize(uids.size());
    for (AuditEvent e : found) {
      JsonNode d = Reviews.read(e.detail().getBytes(StandardCharsets.UTF_8));
      assertThat(e.outcome()).isEqualTo("allow");
      assertThat(e.subject()).isEqualTo("default/warm-audit Pod");
      assertThat(d.path("policyVersion").asText()).isNotEmpty();
      assertThat(d.path("images").get(0).path("digest").asText()).isEqualTo(stored.digest().toString());
      assertThat(d.path("images").get(0).path("checks").get(0).path("cached").asBoolean()).isTrue();
      assertThat(d.path("images").get(0).path("checks").get(0).path("passed").asBoolean()).isTrue();
    }
  }

  private static double answers(String path) {
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    return metrics.lines().filter(l -> l.startsWith("airseal_admission_answers_total{path=\"" + path + "\"}"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  @Test
  void tagOnlyReference_isDeniedOnValidate_byVerifyDigest() throws Exception {
    JsonNode v = post("/validate", Reviews.review("CREATE", "default", Reviews.pod("tagged", stored.context() + ":1.0"), null));
    assertDenied(v, stored.context() + ":1.0", "signed-by-release-key", "verifyDigest");
  }

  @Test
  void unsignedImage_isDenied() throws Exception {
    assertDenied(validate("unsigned", unsigned), unsigned.toString(), "signed-by-release-key", "");
  }

  @Test
  void imageSignedByAnotherKey_isDenied() throws Exception {
    assertDenied(validate("wrong", wronglySigned), wronglySigned.toString(), "signed-by-release-key", "");
  }

  @Test
  void attestedImage_withPassingCondition_isAllowed() throws Exception {
    JsonNode v = validate("attested", attested);
    assertThat(v.path("response").path("allowed").asBoolean()).as(v.toString()).isTrue();
  }

  @Test
  void missingAttestation_isDenied() throws Exception {
    assertDenied(validate("no-att", attestationMissing), attestationMissing.toString(), "scanned", "");
  }

  @Test
  void attestationFailingItsCondition_isDenied() throws Exception {
    assertDenied(validate("bad-att", attestationFailing), attestationFailing.toString(), "scanned", "");
  }

  @Test
  void excludedNamespace_isAllowed_evenUnsigned() throws Exception {
    JsonNode v = post("/validate", Reviews.review("CREATE", "excluded", Reviews.pod("x", unsigned.toString()), null));
    assertThat(v.path("response").path("allowed").asBoolean()).as(v.toString()).isTrue();
  }

  @Test
  void evidenceOnlyInTheSiteRegistry_isReadWithinTheDeadline_andCachedIntoTheStore() throws Exception {
    assertThat(evidence.store().subjectVersion(mirrored.context(), mirrored.digest())).isZero();
    JsonNode v = validate("mirrored", mirrored);
    assertThat(v.path("response").path("allowed").asBoolean()).as(v.toString()).isTrue();
    assertThat(evidence.store().subjectVersion(mirrored.context(), mirrored.digest())).isPositive();
  }

  @Test
  void threeContainerDeployment_isCheckedPerImage_andPatchedAtItsTemplatePath() throws Exception {
    ObjectNode dep = Reviews.JSON.createObjectNode().put("apiVersion", "apps/v1").put("kind", "Deployment");
    dep.putObject("metadata").put("name", "web");
    ObjectNode spec = dep.putObject("spec").putObject("template").putObject("spec");
    spec.putArray("containers").addObject().put("name", "a").put("image", stored.context() + ":1.0");
    spec.withArray("containers").addObject().put("name", "b").put("image", attested.toString());
    spec.putArray("initContainers").addObject().put("name", "i").put("image", stored.context() + ":1.0");
    JsonNode m = post("/mutate", Reviews.review("CREATE", "default", dep, null));
    // Kyverno's autogen applies Pod rules to the pod template of controllers.
    assertThat(m.path("response").path("allowed").asBoolean()).as(m.toString()).isTrue();
    String pinned = stored.context() + ":1.0@" + stored.digest();
    assertThat(Reviews.patch(m).toString()).isEqualTo("[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\","
        + "\"value\":\"" + pinned + "\"},{\"op\":\"replace\",\"path\":\"/spec/template/spec/initContainers/0/image\","
        + "\"value\":\"" + pinned + "\"}]");
  }

  @Test
  void revokedKey_hidesItsSignatures_andTheImageIsDenied() throws Exception {
    JsonNode before = validate("rev", revoked);
    assertThat(before.path("response").path("allowed").asBoolean()).as(before.toString()).isTrue();
    String keyHash = dev.airseal.oci.Digest.of(compromised.publicKey().getEncoded()).hex();
    evidence.commit(new EvidenceBatch().revoke(new Revocation(Revocation.Kind.KEY, keyHash, "key leaked")));
    assertDenied(validate("rev", revoked), revoked.toString(), "signed-by-release-key", "");
  }

  @Test
  void fluxVectorPods_underTheAuditPolicy_areAllowedWithWarningsNamingImageAndRule() throws Exception {
    Path pods = Vectors.dir("kyverno-policies").resolve("flux/verify-flux-images/.chainsaw-test");
    int n = 0;
    try (var files = Files.list(pods)) {
      for (Path f : files.filter(p -> p.getFileName().toString().startsWith("pod-")).sorted().toList()) {
        ObjectNode pod = Reviews.yaml(f);
        String image = pod.path("spec").path("containers").get(0).path("image").asText();
        JsonNode v = post("/validate", Reviews.review("CREATE", "flux-system", pod, null));
        assertThat(v.path("response").path("allowed").asBoolean()).as(f + ": " + v).isTrue();
        assertThat(Reviews.warnings(v)).as(f.toString()).anySatisfy(w ->
            assertThat(w).contains("verify-flux-images/verify-cosign-signature", image));
        n++;
      }
    }
    assertThat(n).isEqualTo(6);
  }

  @Test
  void everyDecision_isAudited() throws Exception {
    JsonNode v = validate("audited", unsigned);
    String uid = v.path("response").path("uid").asText();
    AuditLog log = new AuditLog(dataSource.get());
    long deadline = System.nanoTime() + 5_000_000_000L;
    List<AuditEvent> found = List.of();
    while (found.isEmpty() && System.nanoTime() < deadline) {
      found = log.recent(AdmissionService.AUDIT_KIND, 200).stream().filter(e -> e.detail().contains(uid)).toList();
      Thread.sleep(50);
    }
    assertThat(found).singleElement().satisfies(e -> {
      assertThat(e.subject()).isEqualTo("default/audited Pod");
      assertThat(e.outcome()).isEqualTo("deny");
      assertThat(e.actor()).isEqualTo("admin");
      JsonNode d = Reviews.read(e.detail().getBytes(StandardCharsets.UTF_8));
      assertThat(d.path("policyVersion").asText()).isNotEmpty();
      assertThat(d.path("images").get(0).path("digest").asText()).isEqualTo(unsigned.digest().toString());
      assertThat(d.path("images").get(0).has("evidenceVersion")).isTrue();
    });
  }

  @Test
  void plainHttp_isRefused_andMalformedReviewsGet400() throws Exception {
    given().body(Reviews.bytes(Reviews.review("CREATE", "default", Reviews.pod("p", unsigned.toString()), null)))
        .post("/validate").then().statusCode(403).body(containsString("HTTPS"));
    HttpResponse<String> r = https.send(HttpRequest.newBuilder(httpsUri("/validate"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"apiVersion\":\"admission.k8s.io/v1beta1\",\"kind\":\"AdmissionReview\"}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("admission.k8s.io/v1");
    // The listener takes big bodies for bundle uploads; a review is cut off at its own bound.
    HttpResponse<String> big = https.send(HttpRequest.newBuilder(httpsUri("/validate"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[WebhookRoutes.MAX_REVIEW_BYTES + 1]))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(big.statusCode()).isEqualTo(413);
  }

  @Test
  void aBadPolicyUpload_isRefusedWithItsFieldPath_andTheActiveSetStays() {
    String version = given().get("/api/v1/policies").then().statusCode(200).extract().path("version");
    given().body("apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n  name: broken\nspec:\n  rules:\n"
            + "  - name: r\n    match:\n      any:\n      - resources:\n          kinds: [Pod]\n    verifyImages:\n"
            + "    - imageReferences: [\"*\"]\n      frobnicate: true\n")
        .put("/api/v1/policies/broken.yaml").then().statusCode(400)
        .body(containsString("frobnicate"));
    given().get("/api/v1/policies").then().statusCode(200).body(containsString(version));
    given().get("/api/v1/policies/broken.yaml").then().statusCode(404);
  }

  // --- helpers -------------------------------------------------------------------------------

  private JsonNode validate(String name, ImageReference image) throws Exception {
    return post("/validate", Reviews.review("CREATE", "default", Reviews.pod(name, image.toString()), null));
  }

  private static void assertDenied(JsonNode v, String image, String rule, String check) {
    JsonNode r = v.path("response");
    assertThat(r.path("allowed").asBoolean()).as(v.toString()).isFalse();
    assertThat(r.path("status").path("code").asInt()).isEqualTo(403);
    assertThat(r.path("status").path("message").asText()).contains(image, rule, check);
  }

  private static JsonNode post(String path, ObjectNode review) throws Exception {
    HttpResponse<byte[]> r = https.send(HttpRequest.newBuilder(httpsUri(path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(Reviews.bytes(review))).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    JsonNode out = Reviews.read(r.body());
    assertThat(out.path("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
    assertThat(out.path("kind").asText()).isEqualTo("AdmissionReview");
    assertThat(out.path("response").path("uid").asText()).isEqualTo(review.path("request").path("uid").asText());
    return out;
  }

  static URI httpsUri(String path) {
    int port = ConfigProvider.getConfig().getValue("quarkus.http.test-ssl-port", Integer.class);
    return URI.create("https://localhost:" + port + path);
  }

  /** Trusts only the CA the service made at first start under its data directory. */
  static HttpClient httpsClient() throws Exception {
    Path ca = Path.of(ConfigProvider.getConfig().getValue("airseal.data-dir", String.class), "tls", WebhookTls.CA_CERT);
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(ca))));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(ctx).build();
  }

  private static Signer signer() {
    return new SoftwareSigner(KeyGeneration.generate(SignatureAlgorithm.PKIX_ECDSA_P256_SHA_256),
        SignatureAlgorithm.PKIX_ECDSA_P256_SHA_256);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
