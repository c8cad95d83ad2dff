package dev.airseal.verify.x509;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airseal.testing.Tally;
import dev.airseal.testing.Vectors;
import dev.airseal.trust.CtLog;
import dev.airseal.trust.TrustedRoot;
import dev.airseal.trust.ValidFor;
import dev.airseal.verify.VerificationException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** sigstore-java's certificatetransparency samples (the CT project's own test certificates). */
class SctsTest {
  private static final Tally TALLY = new Tally("sigstore-java certificatetransparency SCTs");
  private static Path dir;
  private static X509Certificate embedded;
  private static X509Certificate issuer;
  private static PublicKey logKey;

  @BeforeAll
  static void load() {
    dir = Vectors.dir("sigstore-java").resolve("resources/samples/certificatetransparency");
    embedded = Pem.cert(dir.resolve("cert-ct-embedded.pem"));
    issuer = Pem.cert(dir.resolve("ca-cert.pem"));
    logKey = Pem.ecKey(dir.resolve("ct-server-key-public.pem"));
  }

  private static TrustedRoot rootWith(PublicKey key, ValidFor validFor) throws Exception {
    byte[] logId = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
    return new TrustedRoot(TrustedRoot.MEDIA_TYPE_V01, List.of(), List.of(),
        List.of(new CtLog("https://ct.example", key, logId, validFor)), List.of());
  }

  @Test
  void verify_acceptsEmbeddedSctFromTrustedLog() throws Exception {
    assertThat(Scts.verify(embedded, issuer, rootWith(logKey, ValidFor.from(Instant.EPOCH)), 1))
        .isEqualTo(1);
    TALLY.passed();
  }

  @Test
  void verify_rejectsCertificateWithoutScts() throws Exception {
    X509Certificate plain = Pem.cert(dir.resolve("cert.pem"));
    assertThatThrownBy(() -> Scts.verify(plain, issuer, rootWith(logKey, ValidFor.from(Instant.EPOCH)), 1))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("no embedded SCTs");
    TALLY.rejected();
  }

  @Test
  void verify_rejectsSctFromUnknownLog() throws Exception {
    PublicKey other = Pem.cert(dir.resolve("cert.pem")).getPublicKey();
    assertThatThrownBy(() -> Scts.verify(embedded, issuer, rootWith(other, ValidFor.from(Instant.EPOCH)), 1))
        .hasMessageContaining("SCT from unknown log df1c2ec1");
    TALLY.rejected();
  }

  @Test
  void verify_rejectsSctOutsideLogValidity() throws Exception {
    ValidFor later = ValidFor.from(Instant.parse("2014-01-01T00:00:00Z"));
    assertThatThrownBy(() -> Scts.verify(embedded, issuer, rootWith(logKey, later), 1))
        .hasMessageContaining("outside its validity");
    TALLY.rejected();
  }

  @Test
  void verify_rejectsWrongIssuerKeyHash() throws Exception {
    // The SCT signs the issuer's key hash: the leaf itself as "issuer" must not verify.
    assertThatThrownBy(() -> Scts.verify(embedded, embedded, rootWith(logKey, ValidFor.from(Instant.EPOCH)), 1))
        .hasMessageContaining("does not verify");
    TALLY.rejected();
  }

  @Test
  void precertTbs_equalsPoisonedPrecertificateWithoutPoison() throws Exception {
    X509Certificate precert = Pem.cert(dir.resolve("cert-ct-poisoned.pem"));
    byte[] fromFinal = PrecertTbs.withoutExtension(embedded.getTBSCertificate(), Scts.SCT_LIST_OID);
    byte[] fromPrecert =
        PrecertTbs.withoutExtension(precert.getTBSCertificate(), "1.3.6.1.4.1.11129.2.4.3");
    assertThat(fromFinal).isEqualTo(fromPrecert);
    TALLY.checked();
  }

  @AfterAll
  static void tally() {
    TALLY.print();
  }
}
