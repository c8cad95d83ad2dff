package dev.airseal.tsa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airseal.signing.SignatureAlgorithm;
import dev.airseal.signing.Signer;
import dev.airseal.signing.soft.SoftwareSigner;
import dev.airseal.testing.TestEntries;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.cmp.PKIFailureInfo;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampToken;
import org.junit.jupiter.api.Test;

class TimestampAuthorityTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00.250Z");
  private static final TsaCertificates.Names NAMES =
      new TsaCertificates.Names("Airseal", "Airseal TSA Root", "Airseal TSA");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Signer tsaKey = new SoftwareSigner(TestEntries.p256());
  private final TsaChain chain =
      TsaCertificates.issue(new SoftwareSigner(TestEntries.p256()), tsaKey.publicKey(), NAMES,
          NOW.minus(Duration.ofDays(1)), Duration.ofDays(3650), RANDOM);
  private final TimestampAuthority tsa = authority(tsaKey);

  private TimestampAuthority authority(Signer key) {
    return new TimestampAuthority(key, chain, TimestampAuthority.SIGSTORE_POLICY,
        Duration.ofSeconds(1), Clock.fixed(NOW, ZoneOffset.UTC), RANDOM);
  }

  private static byte[] sha(String alg, String data) throws Exception {
    return MessageDigest.getInstance(alg).digest(data.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static TimeStampRequest request(ASN1ObjectIdentifier alg, byte[] digest, boolean certReq,
      BigInteger nonce) {
    TimeStampRequestGenerator g = new TimeStampRequestGenerator();
    g.setCertReq(certReq);
    return g.generate(alg, digest, nonce);
  }

  private TimeStampResponse send(TimeStampRequest req) throws Exception {
    return new TimeStampResponse(tsa.respond(req.getEncoded()));
  }

  private TimeStampResponse send(byte[] der) throws Exception {
    return new TimeStampResponse(tsa.respond(der));
  }

  @Test
  void respond_grantsSha256Request_withNonceEchoedAndTsaCertificateIncluded() throws Exception {
    BigInteger nonce = new BigInteger(64, RANDOM);
    TimeStampRequest req = request(TSPAlgorithms.SHA256, sha("SHA-256", "artifact"), true, nonce);
    TimeStampResponse resp = send(req);

    assertThat(resp.getStatus()).isEqualTo(PKIStatus.GRANTED);
    resp.validate(req);
    TimeStampToken token = resp.getTimeStampToken();
    token.validate(new JcaSimpleSignerInfoVerifierBuilder().build(chain.leaf()));
    assertThat(token.getTimeStampInfo().getNonce()).isEqualTo(nonce);
    assertThat(token.getTimeStampInfo().getPolicy()).isEqualTo(TimestampAuthority.SIGSTORE_POLICY);
    assertThat(token.getTimeStampInfo().getGenTime().toInstant()).isEqualTo(Instant.parse("2026-03-01T12:00:00Z"));
    assertThat(token.getTimeStampInfo().getGenTimeAccuracy().getSeconds()).isEqualTo(1);
    assertThat(token.getCertificates().getMatches(null)).containsExactly(chain.leaf());
  }

  @Test
  void respond_stampsSha384AndSha512Imprints() throws Exception {
    for (var alg : new Object[][] {{TSPAlgorithms.SHA384, "SHA-384"}, {TSPAlgorithms.SHA512, "SHA-512"}}) {
      TimeStampRequest req = request((ASN1ObjectIdentifier) alg[0], sha((String) alg[1], "x"), false, null);
      TimeStampResponse resp = send(req);
      assertThat(resp.getStatus()).as((String) alg[1]).isEqualTo(PKIStatus.GRANTED);
      resp.validate(req);
      assertThat(resp.getTimeStampToken().getTimeStampInfo().getMessageImprintAlgOID())
          .isEqualTo(alg[0]);
    }
  }

  @Test
  void respond_omitsCertificates_whenCertReqIsFalse() throws Exception {
    TimeStampResponse resp = send(request(TSPAlgorithms.SHA256, sha("SHA-256", "a"), false, null));
    assertThat(resp.getStatus()).isEqualTo(PKIStatus.GRANTED);
    assertThat(resp.getTimeStampToken().getCertificates().getMatches(null)).isEmpty();
  }

  @Test
  void respond_givesEveryTokenADistinctSerial() throws Exception {
    Set<BigInteger> serials = new HashSet<>();
    byte[] digest = sha("SHA-256", "same");
    for (int i = 0; i < 50; i++) {
      serials.add(send(request(TSPAlgorithms.SHA256, digest, false, null))
          .getTimeStampToken().getTimeStampInfo().getSerialNumber());
    }
    assertThat(serials).hasSize(50);
  }

  private void assertRejected(TimeStampResponse resp, int failInfo) {
    assertThat(resp.getStatus()).isEqualTo(PKIStatus.REJECTION);
    assertThat(resp.getTimeStampToken()).isNull();
    assertThat(resp.getFailInfo().intValue()).isEqualTo(failInfo);
  }

  @Test
  void respond_rejectsMalformedRequests_withBadDataFormat() throws Exception {
    assertRejected(send(new byte[] {0x30, 0x03, 0x02, 0x01}), PKIFailureInfo.badDataFormat);
    assertRejected(send("not DER".getBytes(java.nio.charset.StandardCharsets.US_ASCII)), PKIFailureInfo.badDataFormat);
    assertRejected(send(new byte[0]), PKIFailureInfo.badDataFormat);
    byte[] good = request(TSPAlgorithms.SHA256, sha("SHA-256", "a"), false, null).getEncoded();
    byte[] trailing = java.util.Arrays.copyOf(good, good.length + 1);
    assertRejected(send(trailing), PKIFailureInfo.badDataFormat);
  }

  @Test
  void respond_rejectsAnImprintOfTheWrongLength() throws Exception {
    assertRejected(send(request(TSPAlgorithms.SHA256, new byte[20], false, null)), PKIFailureInfo.badDataFormat);
  }

  @Test
  void respond_rejectsWeakOrUnknownImprintAlgorithms_withBadAlg() throws Exception {
    assertRejected(send(request(TSPAlgorithms.SHA1, sha("SHA-1", "a"), false, null)), PKIFailureInfo.badAlg);
    assertRejected(send(request(TSPAlgorithms.MD5, sha("MD5", "a"), false, null)), PKIFailureInfo.badAlg);
  }

  @Test
  void respond_honoursOurPolicy_andRejectsAnother_withUnacceptedPolicy() throws Exception {
    TimeStampRequestGenerator g = new TimeStampRequestGenerator();
    g.setReqPolicy(TimestampAuthority.SIGSTORE_POLICY);
    TimeStampRequest ours = g.generate(TSPAlgorithms.SHA256, sha("SHA-256", "a"));
    TimeStampResponse ok = send(ours);
    assertThat(ok.getStatus()).isEqualTo(PKIStatus.GRANTED);
    ok.validate(ours);

    g.setReqPolicy(new ASN1ObjectIdentifier("1.2.3.4"));
    assertRejected(send(g.generate(TSPAlgorithms.SHA256, sha("SHA-256", "a"))), PKIFailureInfo.unacceptedPolicy);
  }

  @Test
  void respond_rejectsRequestExtensions_withUnacceptedExtension() throws Exception {
    TimeStampRequestGenerator g = new TimeStampRequestGenerator();
    g.addExtension(new ASN1ObjectIdentifier("1.2.3.4.5"), false, new DEROctetString(new byte[] {1}));
    assertRejected(send(g.generate(TSPAlgorithms.SHA256, sha("SHA-256", "a"))), PKIFailureInfo.unacceptedExtension);
  }

  @Test
  void respond_signsThroughTheSignerInterface_andAnswersSystemFailureWhenItCannot() throws Exception {
    AtomicBoolean down = new AtomicBoolean();
    Signer hsm = new Signer() {
      @Override public PublicKey publicKey() { return tsaKey.publicKey(); }
      @Override public SignatureAlgorithm algorithm() { return tsaKey.algorithm(); }
      @Override public byte[] sign(byte[] message) {
        if (down.get()) {
          throw new IllegalStateException("token removed");
        }
        return tsaKey.sign(message);
      }
    };
    TimestampAuthority remote = authority(hsm);
    TimeStampRequest req = request(TSPAlgorithms.SHA256, sha("SHA-256", "a"), true, BigInteger.TEN);
    TimeStampResponse ok = new TimeStampResponse(remote.respond(req.getEncoded()));
    ok.validate(req);
    ok.getTimeStampToken().validate(new JcaSimpleSignerInfoVerifierBuilder().build(chain.leaf()));

    down.set(true);
    assertRejected(new TimeStampResponse(remote.respond(req.getEncoded())), PKIFailureInfo.systemFailure);
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.EnumSource(
      value = SignatureAlgorithm.class,
      names = {"PKIX_ECDSA_P384_SHA_384", "PKIX_ECDSA_P521_SHA_512", "PKIX_RSA_PKCS1V15_2048_SHA256",
          "PKIX_RSA_PSS_2048_SHA256", "PKIX_ED25519"})
  void respond_signsVerifiableTokens_withEveryKeyTypeASignerMayHold(SignatureAlgorithm alg)
      throws Exception {
    Signer key = new SoftwareSigner(dev.airseal.signing.soft.KeyGeneration.generate(alg), alg);
    TsaChain ownChain = TsaCertificates.issue(new SoftwareSigner(TestEntries.p256()),
        key.publicKey(), NAMES, NOW.minus(Duration.ofDays(1)), Duration.ofDays(10), RANDOM);
    TimestampAuthority other = new TimestampAuthority(key, ownChain, TimestampAuthority.SIGSTORE_POLICY,
        Duration.ofMillis(500), Clock.fixed(NOW, ZoneOffset.UTC), RANDOM);
    TimeStampRequest req = request(TSPAlgorithms.SHA256, sha("SHA-256", "a"), true, BigInteger.ONE);
    TimeStampResponse resp = new TimeStampResponse(other.respond(req.getEncoded()));
    assertThat(resp.getStatus()).isEqualTo(PKIStatus.GRANTED);
    resp.validate(req);
    resp.getTimeStampToken().validate(new JcaSimpleSignerInfoVerifierBuilder()
        .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider()).build(ownChain.leaf()));
    assertThat(resp.getTimeStampToken().getTimeStampInfo().getGenTimeAccuracy().getMillis())
        .isEqualTo(500);
  }

  @Test
  void chain_hasCriticalTimeStampingEku_andRoundTripsThroughPem() throws Exception {
    Extension eku = chain.leaf().getExtension(Extension.extendedKeyUsage);
    assertThat(eku.isCritical()).isTrue();
    assertThat(chain.root().getExtension(Extension.basicConstraints).isCritical()).isTrue();
    assertThat(chain.root().getSubject().toString()).isEqualTo("O=Airseal,CN=Airseal TSA Root");
    assertThat(chain.leaf().getSubject().toString()).isEqualTo("O=Airseal,CN=Airseal TSA");
    TsaChain parsed = TsaChain.parsePem(chain.toPem());
    assertThat(parsed.certificates()).isEqualTo(chain.certificates());
    parsed.checkUsableFor(tsaKey.publicKey(), NOW);
  }

  @Test
  void chain_isRefusedForAnotherKey_orOutsideItsValidity() {
    PublicKey other = TestEntries.p256().getPublic();
    assertThatThrownBy(() -> chain.checkUsableFor(other, NOW))
        .isInstanceOf(TsaChainException.class).hasMessageContaining("another key");
    assertThatThrownBy(() -> chain.checkUsableFor(tsaKey.publicKey(), NOW.plus(Duration.ofDays(3660))))
        .isInstanceOf(TsaChainException.class).hasMessageContaining("not at");
  }

  @Test
  void chain_refusesCertificatesNotSignedByTheNext() throws Exception {
    TsaChain foreign = TsaCertificates.issue(new SoftwareSigner(TestEntries.p256()),
        tsaKey.publicKey(), NAMES, NOW, Duration.ofDays(1), RANDOM);
    assertThatThrownBy(() -> TsaChain.of(java.util.List.of(chain.leaf(), foreign.root())))
        .isInstanceOf(TsaChainException.class).hasMessageContaining("is not signed by");
    assertThatThrownBy(() -> TsaChain.parsePem(""))
        .isInstanceOf(TsaChainException.class);
  }

}
