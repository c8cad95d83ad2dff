package dev.airseal.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.evidence.EvidenceImageSource;
import dev.airseal.oci.Digest;
import dev.airseal.oci.ImageReference;
import dev.airseal.policy.AdmissionContext;
import dev.airseal.policy.CheckResult;
import dev.airseal.policy.ImageCheck;
import dev.airseal.policy.Policies;
import dev.airseal.store.EvidenceBatch;
import dev.airseal.store.EvidenceStore;
import dev.airseal.store.Revocation;
import dev.airseal.trust.TrustedRoot;
import dev.airseal.verify.oci.ImageSource;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The decision logic against a small in-test policy whose verdict is "digest is in a set". */
class AdmissionControllerTest {
  static final String REPO = "reg.site/team/app";
  static final Digest GOOD = Digest.of("good".getBytes(StandardCharsets.UTF_8));
  static final Digest BAD = Digest.of("bad".getBytes(StandardCharsets.UTF_8));
  private static final TrustedRoot ROOT =
      new TrustedRoot(TrustedRoot.MEDIA_TYPE_V02, List.of(), List.of(), List.of(), List.of());

  /** A check that passes digests in {@code signed}; throws for images named "boom". */
  static class DigestSetCheck implements ImageCheck {
    final Set<Digest> signed;
    final boolean enforce;
    final boolean failOpen;
    final AtomicInteger calls = new AtomicInteger();

    DigestSetCheck(Set<Digest> signed, boolean enforce, boolean failOpen) {
      this.signed = signed;
      this.enforce = enforce;
      this.failOpen = failOpen;
    }

    public String policy() { return "check-image"; }
    public String rule() { return "verify-signature"; }
    public boolean enforce() { return enforce; }
    public boolean mutateDigest() { return true; }
    public boolean verifyDigest() { return true; }
    public boolean required() { return true; }
    public int timeoutSeconds() { return 10; }
    public boolean failOpen() { return failOpen; }

    public CheckResult verify(ImageReference image, Digest digest, ImageSource source, TrustedRoot root, Instant now) {
      calls.incrementAndGet();
      if (image.repository().endsWith("boom")) {
        throw new IllegalStateException("verifier exploded");
      }
      boolean ok = signed.contains(digest);
      return new CheckResult(ok, ok ? "" : "failed to verify image " + image + ": .attestors[0].entries[0].keys: no matching signatures",
          List.of(), ok ? Optional.of(digest.toString()) : Optional.empty());
    }
  }

  record OnePolicy(String version, ImageCheck check) implements Policies {
    public List<String> names() { return List.of("check-image"); }
    public List<ImageCheck> checksFor(AdmissionContext request, String image) {
      return request.namespace().equals("excluded") ? List.of() : List.of(check);
    }
  }

  private EvidenceStore store;
  private VerdictCache cache;
  private EvidenceReader reader;

  @BeforeEach
  void setUp() {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    Flyway.configure().dataSource(ds).load().migrate();
    store = new EvidenceStore(ds);
    store.commit(new EvidenceBatch().tag(REPO, "1.0", GOOD).tag(REPO, "bad", BAD).subject(REPO, GOOD).subject(REPO, BAD));
    cache = new VerdictCache(1000);
    reader = new EvidenceReader(store, i -> new EvidenceImageSource(store, i.context()), Optional.empty(), store::commit,
        Executors.newSingleThreadExecutor());
  }

  /** Runs a request's uncached verifications; null: one after the other on the request's thread. */
  java.util.concurrent.Executor verifiers() {
    return null;
  }

  AdmissionController controller(Policies p) {
    return new AdmissionController(() -> p, reader, () -> new TrustSnapshot(1, ROOT), cache, Duration.ofSeconds(1),
        Clock.systemUTC(), dev.airseal.verify.VerificationPolicy.DEFAULT_CLOCK_SKEW, verifiers());
  }

  static AdmissionRequest request(String op, String ns, ObjectNode obj, ObjectNode old) {
    try {
      return AdmissionReviews.parse(Reviews.bytes(Reviews.review(op, ns, obj, old)));
    } catch (AdmissionReviewException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void signedTag_isAllowed_andMutatePinsEveryFieldToTheVerifiedDigest() {
    DigestSetCheck check = new DigestSetCheck(Set.of(GOOD), true, false);
    ObjectNode pod = Reviews.pod("p", REPO + ":1.0", REPO + ":1.0", REPO + "@" + GOOD);
    Decision d = controller(new OnePolicy("v1", check)).decide(request("CREATE", "default", pod, null), true);
    assertThat(d.allowed()).isTrue();
    assertThat(d.outcome()).isEqualTo("allow");
    assertThat(d.patch()).containsExactly(
        new JsonPatches.Op("/spec/containers/0/image", REPO + ":1.0@" + GOOD),
        new JsonPatches.Op("/spec/containers/1/image", REPO + ":1.0@" + GOOD));
    assertThat(check.calls).as("deduplicated: once per distinct image string").hasValue(2);
    JsonNode resp = Reviews.read(AdmissionReviews.respond("u-1", d));
    assertThat(resp.path("response").path("uid").asText()).isEqualTo("u-1");
    assertThat(resp.path("response").path("patchType").asText()).isEqualTo("JSONPatch");
    assertThat(Reviews.patch(resp).get(0).path("op").asText()).isEqualTo("replace");
  }

  @Test
  void memoryOnly_refusesUntilTheStoreWasRead_thenDecidesAlike() {
    DigestSetCheck check = new DigestSetCheck(Set.of(GOOD), true, false);
    AdmissionController c = controller(new OnePolicy("v1", check));
    AdmissionRequest req = request("CREATE", "default", Reviews.pod("p", REPO + ":1.0", REPO + "@" + BAD), null);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.decide(req, true, true))
        .isInstanceOf(AdmissionController.NotInMemory.class);
    assertThat(check.calls).as("a memory-only attempt verifies nothing").hasValue(0);
    Decision full = c.decide(req, true);
    Decision fromMemory = c.decide(req, true, true);
    assertThat(check.calls).hasValue(2);
    assertThat(fromMemory.allowed()).isEqualTo(full.allowed()).isFalse();
    assertThat(fromMemory.message()).isEqualTo(full.message());
    assertThat(fromMemory.detail().path("images").get(0).path("checks").get(0).path("cached").asBoolean()).isTrue();
  }

  @Test
  void validate_deniesTagOnlyReferences_underVerifyDigest() {
    Decision d = controller(new OnePolicy("v1", new DigestSetCheck(Set.of(GOOD), true, false)))
        .decide(request("CREATE", "default", Reviews.pod("p", REPO + ":1.0"), null), false);
    assertThat(d.allowed()).isFalse();
    assertThat(d.message()).contains("Pod/default/p was blocked", "check-image:", "verify-signature",
        "verifyDigest: the reference has no digest");
  }

  @Test
  void failedVerification_deniesNamingImageRuleAndCheck_butAuditModeWarns() {
    ObjectNode pod = Reviews.pod("p", REPO + "@" + BAD);
    Decision enforce = controller(new OnePolicy("v1", new DigestSetCheck(Set.of(GOOD), true, false)))
        .decide(request("CREATE", "default", pod, null), false);
    assertThat(enforce.allowed()).isFalse();
    assertThat(enforce.code()).isEqualTo(403);
    assertThat(enforce.message()).contains(REPO + "@" + BAD, "verify-signature", "no matching signatures");
    Decision audit = controller(new OnePolicy("v2", new DigestSetCheck(Set.of(GOOD), false, false)))
        .decide(request("CREATE", "default", pod, null), false);
    assertThat(audit.allowed()).isTrue();
    assertThat(audit.outcome()).isEqualTo("warn");
    assertThat(audit.warnings()).singleElement().asString().contains("check-image/verify-signature", "no matching signatures");
  }

  @Test
  void unknownTag_isDenied_sayingWhereWeLooked() {
    Decision d = controller(new OnePolicy("v1", new DigestSetCheck(Set.of(GOOD), true, false)))
        .decide(request("CREATE", "default", Reviews.pod("p", REPO + ":nowhere"), null), true);
    assertThat(d.allowed()).isFalse();
    assertThat(d.message()).contains("cannot resolve tag 'nowhere' to a digest: not in the evidence store");
  }

  @Test
  void internalErrors_failClosed_unlessTheRuleSaysIgnore() {
    ObjectNode pod = Reviews.pod("p", "reg.site/boom@" + GOOD);
    Decision closed = controller(new OnePolicy("v1", new DigestSetCheck(Set.of(GOOD), true, false)))
        .decide(request("CREATE", "default", pod, null), false);
    assertThat(closed.allowed()).isFalse();
    assertThat(closed.message()).contains("internal error", "verifier exploded");
    Decision open = controller(new OnePolicy("v2", new DigestSetCheck(Set.of(GOOD), true, true)))
        .decide(request("CREATE", "default", pod, null), false);
    assertThat(open.allowed()).isTrue();
    assertThat(open.warnings()).singleElement().asString().contains("failurePolicy: Ignore", "verifier exploded");
  }

  @Test
  void update_checksOnlyImagesThatChanged() {
    DigestSetCheck check = new DigestSetCheck(Set.of(GOOD), true, false);
    ObjectNode old = Reviews.pod("p", REPO + "@" + BAD);
    ObjectNode changed = Reviews.pod("p", REPO + "@" + BAD, REPO + "@" + GOOD);
    Decision d = controller(new OnePolicy("v1", check)).decide(request("UPDATE", "default", changed, old), false);
    assertThat(d.allowed()).isTrue();
    assertThat(check.calls).hasValue(1);
    Decision newBad = controller(new OnePolicy("v1", check))
        .decide(request("UPDATE", "default", Reviews.pod("p", REPO + "@" + BAD), Reviews.pod("p", REPO + "@" + GOOD)), false);
    assertThat(newBad.allowed()).isFalse();
  }

  @Test
  void excludedNamespaces_deleteAndOtherKinds_areAllowedWithoutChecks() {
    DigestSetCheck check = new DigestSetCheck(Set.of(), true, false);
    AdmissionController c = controller(new OnePolicy("v1", check));
    assertThat(c.decide(request("CREATE", "excluded", Reviews.pod("p", REPO + "@" + BAD), null), false).allowed()).isTrue();
    assertThat(c.decide(request("DELETE", "default", null, Reviews.pod("p", REPO + "@" + BAD)), false).allowed()).isTrue();
    ObjectNode cm = Reviews.JSON.createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
    cm.putObject("metadata").put("name", "c");
    assertThat(c.decide(request("CREATE", "default", cm, null), false).allowed()).isTrue();
    assertThat(check.calls).hasValue(0);
  }

  @Test
  void verdictsAreCached_untilTheSubjectsEvidenceChanges() {
    DigestSetCheck check = new DigestSetCheck(Set.of(GOOD), true, false);
    AdmissionController c = controller(new OnePolicy("v1", check));
    ObjectNode pod = Reviews.pod("p", REPO + "@" + GOOD);
    c.decide(request("CREATE", "default", pod, null), false);
    c.decide(request("CREATE", "default", pod, null), false);
    assertThat(check.calls).hasValue(1);
    EvidenceStore.Commit commit = store.commit(new EvidenceBatch().subject(REPO, GOOD));
    reader.committed(commit);
    assertThat(c.decide(request("CREATE", "default", pod, null), false).allowed()).isTrue();
    assertThat(check.calls).hasValue(2);
    controller(new OnePolicy("v2", check)).decide(request("CREATE", "default", pod, null), false);
    assertThat(check.calls).as("a new policy version is a new key").hasValue(3);
  }

  @Test
  void revokedDigests_areDenied_whateverTheSignaturesSay() {
    AdmissionController c = controller(new OnePolicy("v1", new DigestSetCheck(Set.of(GOOD), true, false)));
    ObjectNode pod = Reviews.pod("p", REPO + "@" + GOOD);
    assertThat(c.decide(request("CREATE", "default", pod, null), false).allowed()).isTrue();
    reader.committed(store.commit(new EvidenceBatch().revoke(new Revocation(Revocation.Kind.DIGEST, GOOD.toString(), "CVE-2099-1"))));
    cache.clear();
    Decision d = c.decide(request("CREATE", "default", pod, null), false);
    assertThat(d.allowed()).isFalse();
    assertThat(d.message()).contains("is revoked: CVE-2099-1");
  }
}
