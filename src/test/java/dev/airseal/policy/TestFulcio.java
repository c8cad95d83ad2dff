package dev.airseal.policy;

import dev.airseal.testing.TestEntries;
import dev.airseal.trust.CertificateAuthority;
import dev.airseal.trust.TrustedRoot;
import dev.airseal.trust.ValidFor;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throwaway Fulcio-shaped CA issuing short-lived code-signing certificates with an identity. */
final class TestFulcio {
  final KeyPair caKey = TestEntries.p256();
  final X509Certificate ca;
  private final X500Name caName;
  private long serial = 2;

  TestFulcio(String name) throws Exception {
    Instant now = Instant.now();
    X500Name subject = new X500Name("CN=" + name + ",O=airseal-test");
    caName = subject;
    JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, BigInteger.ONE,
        Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(1, ChronoUnit.DAYS)), subject, caKey.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    ca = sign(b);
  }

  /** A leaf for {@code san} (a URI) issued by {@code issuer}, with GitHub's workflow trigger. */
  X509Certificate leaf(KeyPair key, String san, String issuer, String trigger) throws Exception {
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(caName, BigInteger.valueOf(serial++),
        Date.from(now.minus(1, ChronoUnit.HOURS)), Date.from(now.plus(1, ChronoUnit.HOURS)),
        new X500Name("O=airseal-test"), key.getPublic());
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning));
    b.addExtension(Extension.subjectAlternativeName, true,
        new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, san)));
    b.addExtension(new ASN1ObjectIdentifier("1.3.6.1.4.1.57264.1.8"), false, new DERUTF8String(issuer));
    b.addExtension(new ASN1ObjectIdentifier("1.3.6.1.4.1.57264.1.2"), false,
        trigger.getBytes(StandardCharsets.US_ASCII));
    return sign(b);
  }

  private X509Certificate sign(JcaX509v3CertificateBuilder b) throws Exception {
    return new JcaX509CertificateConverter().getCertificate(
        b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKey.getPrivate())));
  }

  CertificateAuthority authority() {
    return new CertificateAuthority("https://fulcio.test", "airseal-test", "test", List.of(ca),
        ValidFor.from(Instant.EPOCH));
  }

  /** A site trust root with this CA and no logs. */
  TrustedRoot root() {
    return new TrustedRoot(TrustedRoot.MEDIA_TYPE_V01, List.of(), List.of(authority()), List.of(), List.of());
  }
}
