package dev.airseal.signing.awskms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airseal.signing.SignatureAlgorithm;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;

class AwsKmsSignerTest {
  private static final String REGION = "eu-west-3";
  private static final byte[] MESSAGE = "airseal kms test message".getBytes(StandardCharsets.UTF_8);

  private static FakeKms kms;
  private static String p256;
  private static String p384;
  private static String rsa2048;
  private static KeyPair p256Keys;

  @BeforeAll
  static void start() throws Exception {
    kms = new FakeKms(REGION);
    p256Keys = FakeKms.generate("ECC_NIST_P256");
    p256 = kms.addKey("ECC_NIST_P256", p256Keys);
    p384 = kms.addKey("ECC_NIST_P384", FakeKms.generate("ECC_NIST_P384"));
    rsa2048 = kms.addKey("RSA_2048", FakeKms.generate("RSA_2048"));
    kms.alias("alias/p256", p256);
    kms.alias("alias/p384", p384);
    kms.alias("alias/rsa", rsa2048);
  }

  @AfterAll
  static void stop() {
    kms.close();
  }

  @AfterEach
  void reset() {
    kms.fault(FakeKms.Fault.NONE);
    kms.clearRequests();
  }

  static KmsAccess access(String defaultRegion) {
    return new KmsAccess(
        StaticCredentialsProvider.create(
            AwsBasicCredentials.create(FakeKms.ACCESS_KEY, FakeKms.SECRET_KEY)),
        () -> Region.of(defaultRegion),
        Map.of(AwsKmsUri.ALLOW_HTTP_ENV, "true"));
  }

  static KmsAccess access() {
    return access(REGION);
  }

  @Test
  void open_byAlias_signsWithTheKeyTheAliasNames() throws Exception {
    try (AwsKmsSigner s = AwsKmsSigner.open(kms.uri("alias/p256"), false, access())) {
      assertThat(s.algorithm()).isEqualTo(SignatureAlgorithm.PKIX_ECDSA_P256_SHA_256);
      assertThat(s.publicKey().getEncoded()).isEqualTo(p256Keys.getPublic().getEncoded());
      assertThat(s.keyArn()).isEqualTo(kms.arn(p256));
      byte[] sig = s.sign(MESSAGE);
      assertThat(verifiesWithJdk("SHA256withECDSA", false, p256Keys.getPublic(), sig)).isTrue();
    }
  }

  @Test
  void open_byKeyId() {
    try (AwsKmsSigner s = AwsKmsSigner.open(kms.uri(p384), false, access())) {
      assertThat(s.algorithm()).isEqualTo(SignatureAlgorithm.PKIX_ECDSA_P384_SHA_384);
      assertThat(s.keyArn()).isEqualTo(kms.arn(p384));
    }
  }

  @Test
  void open_byArn_takesRegionFromArnNotFromTheDefaultChain() {
    // The fake refuses requests signed for another region; the default region here is wrong.
    try (AwsKmsSigner s =
        AwsKmsSigner.open(kms.uri(kms.arn(rsa2048)), false, access("us-east-1"))) {
      assertThat(s.sign(MESSAGE)).hasSize(256);
    }
    assertThat(kms.requests())
        .allSatisfy(
            r -> assertThat(r.authorization()).contains("/" + REGION + "/kms/aws4_request"));
    assertThatThrownBy(() -> AwsKmsSigner.open(kms.uri("alias/rsa"), false, access("us-east-1")))
        .isInstanceOf(KmsSignerException.class)
        .hasMessageContaining("InvalidSignatureException");
  }

  @Test
  void open_byAliasArn() {
    String aliasArn = "arn:aws:kms:" + REGION + ":" + FakeKms.ACCOUNT + ":alias/p256";
    try (AwsKmsSigner s = AwsKmsSigner.open(kms.uri(aliasArn), false, access("us-east-1"))) {
      assertThat(s.keyArn()).isEqualTo(kms.arn(p256));
    }
  }

  static Stream<Arguments> keyTypes() {
    return Stream.of(
        Arguments.of(
            "alias/p256", false, SignatureAlgorithm.PKIX_ECDSA_P256_SHA_256, "SHA256withECDSA"),
        Arguments.of(
            "alias/p384", false, SignatureAlgorithm.PKIX_ECDSA_P384_SHA_384, "SHA384withECDSA"),
        Arguments.of(
            "alias/rsa", false, SignatureAlgorithm.PKIX_RSA_PKCS1V15_2048_SHA256, "SHA256withRSA"),
        Arguments.of("alias/rsa", true, SignatureAlgorithm.PKIX_RSA_PSS_2048_SHA256, "RSASSA-PSS"));
  }

  @ParameterizedTest(name = "{0} pss={1}")
  @MethodSource("keyTypes")
  void sign_verifiesWithTheExportedPublicKey(
      String alias, boolean pss, SignatureAlgorithm expected, String jdkAlgorithm)
      throws Exception {
    PublicKey exported = kms.key(alias).pair().getPublic();
    try (AwsKmsSigner s = AwsKmsSigner.open(kms.uri(alias), pss, access())) {
      assertThat(s.algorithm()).isEqualTo(expected);
      byte[] sig = s.sign(MESSAGE);
      assertThat(verifiesWithJdk(jdkAlgorithm, pss, exported, sig)).isTrue();
      assertThat(verifiesWithJdk(jdkAlgorithm, pss, exported, s.sign("other".getBytes())))
          .isFalse();
    }
    FakeKms.Request sign = kms.requests().get(1);
    assertThat(sign.body().get("MessageType").asText()).isEqualTo("DIGEST");
    assertThat(sign.body().get("KeyId").asText()).isEqualTo(kms.arn(kms.key(alias).id()));
  }

  @Test
  void open_unknownKey_failsNamingKeyAndOperation() {
    String uri = kms.uri("alias/nope");
    assertThatThrownBy(() -> AwsKmsSigner.open(uri, false, access()))
        .isInstanceOf(KmsSignerException.class)
        .hasMessageContaining("GetPublicKey")
        .hasMessageContaining(uri)
        .hasMessageContaining("no such key or alias")
        .hasMessageContaining("NotFoundException")
        .hasNoCause();
    String id = "00000000-0000-0000-0000-000000000000";
    assertThatThrownBy(() -> AwsKmsSigner.open(kms.uri(id), false, access()))
        .hasMessageContaining("NotFoundException");
  }

  @Test
  void open_wrongCredentials_failsWithoutShowingThem() {
    KmsAccess wrong =
        new KmsAccess(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create("AKIAWRONG00000000000", FakeKms.SECRET_KEY)),
            () -> Region.of(REGION),
            Map.of(AwsKmsUri.ALLOW_HTTP_ENV, "true"));
    assertThatThrownBy(() -> AwsKmsSigner.open(kms.uri("alias/p256"), false, wrong))
        .isInstanceOf(KmsSignerException.class)
        .hasMessageContaining("UnrecognizedClientException")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(FakeKms.SECRET_KEY));
  }

  @Test
  void open_wrongSecret_failsWithoutEchoingTheSignedRequest() {
    KmsAccess wrong =
        new KmsAccess(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(FakeKms.ACCESS_KEY, "not-the-secret")),
            () -> Region.of(REGION),
            Map.of(AwsKmsUri.ALLOW_HTTP_ENV, "true"));
    assertThatThrownBy(() -> AwsKmsSigner.open(kms.uri("alias/p256"), false, wrong))
        .isInstanceOf(KmsSignerException.class)
        .hasMessageContaining("InvalidSignatureException")
        .hasMessageContaining("does not match the signature you provided")
        .hasNoCause()
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Canonical String", "x-amz"));
  }

  @Test
  void open_keyForEncryption_isRefused() {
    String id = kms.addKey("ECC_NIST_P256", "KEY_AGREEMENT", FakeKms.generate("ECC_NIST_P256"));
    assertThatThrownBy(() -> AwsKmsSigner.open(kms.uri(id), false, access()))
        .isInstanceOf(KmsSignerException.class)
        .hasMessageContaining("key usage is KEY_AGREEMENT, not SIGN_VERIFY");
  }

  @Test
  void open_withoutRegion_saysHowToGiveOne() {
    KmsAccess noRegion =
        new KmsAccess(
            access().credentials(),
            () -> {
              throw SdkClientException.create("Unable to load region from any of the providers");
            },
            Map.of(AwsKmsUri.ALLOW_HTTP_ENV, "true"));
    assertThatThrownBy(() -> AwsKmsSigner.open(kms.uri("alias/p256"), false, noRegion))
        .isInstanceOf(KmsSignerException.class)
        .hasMessageContaining("no AWS region: set AWS_REGION");
  }

  @Test
  void sign_corruptedSignatureFromKms_isCaughtByLocalVerification() {
    try (AwsKmsSigner s = AwsKmsSigner.open(kms.uri("alias/p256"), false, access())) {
      kms.fault(FakeKms.Fault.CORRUPT_SIGNATURE);
      assertThatThrownBy(() -> s.sign(MESSAGE))
          .isInstanceOf(KmsSignerException.class)
          .hasMessageContaining("Sign")
          .hasMessageContaining("does not verify under key " + kms.arn(p256));
    }
    try (AwsKmsSigner s = AwsKmsSigner.open(kms.uri("alias/rsa"), true, access())) {
      kms.fault(FakeKms.Fault.CORRUPT_SIGNATURE);
      assertThatThrownBy(() -> s.sign(MESSAGE)).hasMessageContaining("does not verify");
    }
  }

  @Test
  void sign_internalErrors_areRetriedBoundedlyThenFail() {
    try (AwsKmsSigner s = AwsKmsSigner.open(kms.uri("alias/p256"), false, access())) {
      kms.fault(FakeKms.Fault.INTERNAL_ERROR);
      kms.clearRequests();
      long start = System.nanoTime();
      assertThatThrownBy(() -> s.sign(MESSAGE))
          .isInstanceOf(KmsSignerException.class)
          .hasMessageContaining("KMS failed")
          .hasMessageContaining("KMSInternalException, HTTP 500, 3 attempts");
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(took).isLessThan(Duration.ofSeconds(3));
      assertThat(kms.requests()).hasSize(KmsAccess.MAX_ATTEMPTS);
    }
  }

  @Test
  void generate_createsKeyAndAlias_thenSigns() throws Exception {
    String uri = kms.uri("alias/generated-p384");
    try (AwsKmsSigner s =
        AwsKmsSigner.generate(uri, SignatureAlgorithm.PKIX_ECDSA_P384_SHA_384, access())) {
      FakeKms.Key created = kms.key("alias/generated-p384");
      assertThat(created.spec()).isEqualTo("ECC_NIST_P384");
      assertThat(s.keyArn()).isEqualTo(kms.arn(created.id()));
      byte[] sig = s.sign(MESSAGE);
      assertThat(verifiesWithJdk("SHA384withECDSA", false, created.pair().getPublic(), sig))
          .isTrue();
    }
    assertThat(kms.requests())
        .extracting(FakeKms.Request::target)
        .containsExactly(
            "TrentService.DescribeKey",
            "TrentService.CreateKey",
            "TrentService.CreateAlias",
            "TrentService.GetPublicKey",
            "TrentService.Sign");
    assertThat(kms.requests().get(1).body().get("KeyUsage").asText()).isEqualTo("SIGN_VERIFY");
    try (AwsKmsSigner reopened = AwsKmsSigner.open(uri, false, access())) {
      assertThat(reopened.algorithm()).isEqualTo(SignatureAlgorithm.PKIX_ECDSA_P384_SHA_384);
    }
  }

  @Test
  void generate_rsaPss_keepsTheScheme() {
    try (AwsKmsSigner s =
        AwsKmsSigner.generate(
            kms.uri("alias/generated-pss"),
            SignatureAlgorithm.PKIX_RSA_PSS_2048_SHA256,
            access())) {
      assertThat(s.algorithm()).isEqualTo(SignatureAlgorithm.PKIX_RSA_PSS_2048_SHA256);
      assertThat(s.sign(MESSAGE)).hasSize(256);
    }
  }

  @Test
  void generate_refusesAnAliasThatAlreadyNamesAKey() {
    assertThatThrownBy(
            () ->
                AwsKmsSigner.generate(
                    kms.uri("alias/p256"), SignatureAlgorithm.PKIX_ECDSA_P256_SHA_256, access()))
        .isInstanceOf(KmsSignerException.class)
        .hasMessageContaining("alias/p256 already names key " + kms.arn(p256));
    assertThat(kms.requests())
        .extracting(FakeKms.Request::target)
        .doesNotContain("TrentService.CreateKey");
  }

  @Test
  void generate_needsAnAlias() {
    assertThatThrownBy(
            () ->
                AwsKmsSigner.generate(
                    kms.uri(p256), SignatureAlgorithm.PKIX_ECDSA_P256_SHA_256, access()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs an alias");
    assertThatThrownBy(
            () ->
                AwsKmsSigner.generate(
                    kms.uri("alias/ed"), SignatureAlgorithm.PKIX_ED25519, access()))
        .hasMessageContaining("Ed25519 KMS keys are not supported");
    assertThat(kms.requests()).isEmpty();
  }

  @Test
  void requests_carrySigV4AuthorizationAndTarget() {
    try (AwsKmsSigner s = AwsKmsSigner.open(kms.uri("alias/p256"), false, access())) {
      s.sign(MESSAGE);
    }
    assertThat(kms.requests())
        .extracting(FakeKms.Request::target)
        .containsExactly("TrentService.GetPublicKey", "TrentService.Sign");
    assertThat(kms.requests())
        .allSatisfy(
            r -> {
              assertThat(r.authorization())
                  .startsWith("AWS4-HMAC-SHA256 Credential=" + FakeKms.ACCESS_KEY + "/")
                  .contains("/" + REGION + "/kms/aws4_request")
                  .contains("x-amz-target")
                  .doesNotContain(FakeKms.SECRET_KEY);
              assertThat(r.contentType()).startsWith("application/x-amz-json-1.1");
            });
    FakeKms.Request sign = kms.requests().get(1);
    assertThat(sign.body().get("SigningAlgorithm").asText()).isEqualTo("ECDSA_SHA_256");
    assertThat(java.util.Base64.getDecoder().decode(sign.body().get("Message").asText()))
        .hasSize(32);
  }

  @Test
  void fake_refusesUnsignedRequests() throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(kms.uri("").replace("awskms://", "http://")))
                    .header("Content-Type", "application/x-amz-json-1.1")
                    .header("X-Amz-Target", "TrentService.GetPublicKey")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"KeyId\":\"alias/p256\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("\"__type\":\"MissingAuthenticationTokenException\"");
  }

  private static boolean verifiesWithJdk(String alg, boolean pss, PublicKey key, byte[] sig)
      throws Exception {
    Signature v = Signature.getInstance(alg);
    if (pss) {
      v.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
    }
    v.initVerify(key);
    v.update(MESSAGE);
    return v.verify(sig);
  }
}
