package dev.airseal.tsa;

import dev.airseal.signing.Signer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;

/**
 * Issues the TSA's own two-level PKI: a self-signed root CA and, under it, the TSA certificate for
 * the TSA key, shaped as sigstore's timestamp-authority certmaker shapes them.
 */
public final class TsaCertificates {
  private TsaCertificates() {}

  /** Subject names: {@code O=organization, CN=...} for the root and for the TSA certificate. */
  public record Names(String organization, String rootName, String signerName) {}

  /**
   * A chain for {@code tsaKey} under a new root whose key is {@code rootKey}; both certificates are
   * valid from {@code notBefore} for {@code validity}. Both keys sign through {@link Signer}, so
   * either may live in an HSM.
   */
  public static TsaChain issue(
      Signer rootKey,
      PublicKey tsaKey,
      Names names,
      Instant notBefore,
      Duration validity,
      SecureRandom random) {
    Date from = Date.from(notBefore.truncatedTo(ChronoUnit.SECONDS));
    Date to = Date.from(notBefore.truncatedTo(ChronoUnit.SECONDS).plus(validity));
    X500Name rootName = name(names.organization(), names.rootName());
    SubjectPublicKeyInfo rootSpki = SubjectPublicKeyInfo.getInstance(rootKey.publicKey().getEncoded());
    SubjectPublicKeyInfo tsaSpki = SubjectPublicKeyInfo.getInstance(tsaKey.getEncoded());
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      var root =
          new X509v3CertificateBuilder(rootName, serial(random), from, to, rootName, rootSpki)
              // Path length 0: the root certifies TSA certificates and no further CAs.
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
              .addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
              .addExtension(
                  Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(rootSpki))
              .build(new SignerContentSigner(rootKey));
      var leaf =
          new X509v3CertificateBuilder(
                  rootName, serial(random), from, to,
                  name(names.organization(), names.signerName()), tsaSpki)
              .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
              .addExtension(
                  Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(tsaSpki))
              .addExtension(
                  Extension.authorityKeyIdentifier, false,
                  ext.createAuthorityKeyIdentifier(rootSpki))
              // SPEC: RFC 3161 §2.3: id-kp-timeStamping alone, critical.
              .addExtension(
                  Extension.extendedKeyUsage, true,
                  new ExtendedKeyUsage(KeyPurposeId.id_kp_timeStamping))
              .build(new SignerContentSigner(rootKey));
      return TsaChain.of(List.of(leaf, root));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 (key identifiers) is unavailable", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (TsaChainException e) {
      throw new IllegalStateException("issued a chain that does not verify: " + e.getMessage(), e);
    }
  }

  private static X500Name name(String organization, String commonName) {
    return new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.O, organization)
        .addRDN(BCStyle.CN, commonName)
        .build();
  }

  // RFC 5280 §4.1.2.2: positive, at most 20 octets; 128 random bits make collisions negligible.
  static BigInteger serial(SecureRandom random) {
    BigInteger s;
    do {
      byte[] b = new byte[16];
      random.nextBytes(b);
      s = new BigInteger(1, b);
    } while (s.signum() == 0);
    return s;
  }
}
