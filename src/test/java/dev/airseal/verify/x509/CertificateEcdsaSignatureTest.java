package dev.airseal.verify.x509;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509v1CertificateBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v1CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.junit.jupiter.api.Test;

/** ECDSA certificate signatures checked through crypto/Ecdsa, with X509Certificate.verify's rules. */
class CertificateEcdsaSignatureTest {
  private static final Date FROM = new Date(1_700_000_000_000L);
  private static final Date TO = new Date(1_900_000_000_000L);

  @Test
  void aGoodSignatureVerifies_v3AndV1_andAnotherKeyDoesNot() throws Exception {
    KeyPair ca = p256();
    KeyPair leaf = p256();
    for (X509Certificate c : new X509Certificate[] {
        v3(ca, leaf, X9ObjectIdentifiers.ecdsa_with_SHA256, "SHA256withECDSA"),
        v1(ca, leaf, X9ObjectIdentifiers.ecdsa_with_SHA384, "SHA384withECDSA")}) {
      String hash = c.getSigAlgOID().endsWith(".2") ? "SHA-256" : "SHA-384";
      assertThat(CertificateChains.ecdsaVerifies(c, ca.getPublic(), hash)).isTrue();
      assertThat(CertificateChains.ecdsaVerifies(c, leaf.getPublic(), hash)).isFalse();
      assertThat(CertificateChains.innerAlgorithm(c.getTBSCertificate()))
          .isEqualTo(new AlgorithmIdentifier(new org.bouncycastle.asn1.ASN1ObjectIdentifier(c.getSigAlgOID())).getEncoded());
    }
  }

  @Test
  void anInnerAlgorithmOtherThanTheOuterOne_isRefused_evenWithAGoodSignature() throws Exception {
    KeyPair ca = p256();
    // The TBS names ecdsa-with-SHA384; the outer field and the signature are SHA-256.
    X509Certificate inner384 = v3(ca, p256(), X9ObjectIdentifiers.ecdsa_with_SHA384, "SHA256withECDSA");
    X509Certificate c = withOuterAlgorithm(inner384, X9ObjectIdentifiers.ecdsa_with_SHA256);
    assertThat(c.getSigAlgOID()).isEqualTo("1.2.840.10045.4.3.2");
    assertThat(CertificateChains.ecdsaVerifies(c, ca.getPublic(), "SHA-256")).isFalse();
  }

  private static KeyPair p256() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static X509Certificate v3(KeyPair ca, KeyPair leaf, org.bouncycastle.asn1.ASN1ObjectIdentifier named, String signs)
      throws Exception {
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
        new X500Name("CN=ca"), BigInteger.TEN, FROM, TO, new X500Name("CN=leaf"), leaf.getPublic());
    return parse(b.build(signer(ca, named, signs)).getEncoded());
  }

  private static X509Certificate v1(KeyPair ca, KeyPair leaf, org.bouncycastle.asn1.ASN1ObjectIdentifier named, String signs)
      throws Exception {
    X509v1CertificateBuilder b = new JcaX509v1CertificateBuilder(
        new X500Name("CN=ca"), BigInteger.TWO, FROM, TO, new X500Name("CN=leaf"), leaf.getPublic());
    return parse(b.build(signer(ca, named, signs)).getEncoded());
  }

  /** Names {@code named} in the certificate and signs with {@code signs}. */
  private static ContentSigner signer(KeyPair ca, org.bouncycastle.asn1.ASN1ObjectIdentifier named, String signs) {
    ByteArrayOutputStream tbs = new ByteArrayOutputStream();
    return new ContentSigner() {
      @Override
      public AlgorithmIdentifier getAlgorithmIdentifier() {
        return new AlgorithmIdentifier(named);
      }

      @Override
      public OutputStream getOutputStream() {
        return tbs;
      }

      @Override
      public byte[] getSignature() {
        try {
          Signature s = Signature.getInstance(signs);
          s.initSign(ca.getPrivate());
          s.update(tbs.toByteArray());
          return s.sign();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    };
  }

  // Certificate ::= SEQUENCE { tbs, signatureAlgorithm, signatureValue }: a new outer algorithm.
  private static X509Certificate withOuterAlgorithm(X509Certificate c, org.bouncycastle.asn1.ASN1ObjectIdentifier outer)
      throws Exception {
    org.bouncycastle.asn1.x509.Certificate parsed = org.bouncycastle.asn1.x509.Certificate.getInstance(c.getEncoded());
    org.bouncycastle.asn1.ASN1EncodableVector v = new org.bouncycastle.asn1.ASN1EncodableVector();
    v.add(parsed.getTBSCertificate());
    v.add(new AlgorithmIdentifier(outer));
    v.add(parsed.getSignature());
    // BouncyCastle's factory: the JDK's refuses such a certificate at parse time.
    return (X509Certificate) CertificateFactory.getInstance("X.509", new BouncyCastleProvider())
        .generateCertificate(new ByteArrayInputStream(new org.bouncycastle.asn1.DERSequence(v).getEncoded()));
  }

  private static X509Certificate parse(byte[] der) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
  }
}
