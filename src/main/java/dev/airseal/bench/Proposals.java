package dev.airseal.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airseal.log.Hex;
import dev.airseal.log.Rfc6962;
import dev.airseal.log.rekor.kind.CanonicalEntry;
import dev.airseal.log.rekor.kind.EntryTypes;
import dev.airseal.log.rekor.kind.InvalidEntryException;
import dev.airseal.log.sequencer.EntryDraft;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.stream.IntStream;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * hashedrekord 0.0.1 proposals as a keyless signer sends them: a P-256 signature over an artifact
 * digest and a short-lived code-signing certificate with an e-mail SAN and a Fulcio issuer
 * extension, which makes the canonical body about 1.2 KB, as real entries are.
 */
public final class Proposals {
  static final Provider BC = new BouncyCastleProvider();
  private static final ASN1ObjectIdentifier FULCIO_ISSUER_V2 =
      new ASN1ObjectIdentifier("1.3.6.1.4.1.57264.1.8");

  private final KeyPair key;
  private final String certPemBase64;
  private final String runId;

  public Proposals() {
    this.key = p256();
    this.certPemBase64 =
        Base64.getEncoder().encodeToString(certificatePem(key).getBytes(StandardCharsets.US_ASCII));
    this.runId = Long.toHexString(System.nanoTime());
  }

  private static KeyPair p256() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BC);
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String certificatePem(KeyPair k) {
    try {
      Instant now = Instant.now();
      X500Name name = new X500Name("O=sigstore.dev, CN=sigstore-intermediate");
      var b =
          new JcaX509v3CertificateBuilder(
              name,
              BigInteger.valueOf(now.toEpochMilli()),
              Date.from(now.minus(1, ChronoUnit.MINUTES)),
              Date.from(now.plus(10, ChronoUnit.MINUTES)),
              new X500Name(""),
              k.getPublic());
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      b.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning));
      b.addExtension(
          Extension.subjectAlternativeName,
          true,
          new GeneralNames(new GeneralName(GeneralName.rfc822Name, "release-bot@example.com")));
      b.addExtension(
          FULCIO_ISSUER_V2, false, new DERUTF8String("https://accounts.example.com/oidc"));
      X509CertificateHolder cert =
          b.build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BC).build(k.getPrivate()));
      StringWriter sw = new StringWriter();
      try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
        w.writeObject(cert);
      }
      return sw.toString();
    } catch (IOException | OperatorCreationException e) {
      throw new IllegalStateException("cannot make the signing certificate", e);
    }
  }

  private static byte[] sign(PrivateKey k, byte[] data) {
    try {
      Signature s = Signature.getInstance("SHA256withECDSA", BC);
      s.initSign(k);
      s.update(data);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private byte[] artifact(int i) {
    return ("airseal bench artifact " + runId + " #" + i).getBytes(StandardCharsets.UTF_8);
  }

  private String proposal(byte[] artifact, byte[] signature) {
    return "{\"apiVersion\":\"0.0.1\",\"kind\":\"hashedrekord\",\"spec\":{\"data\":{\"hash\":"
        + "{\"algorithm\":\"sha256\",\"value\":\""
        + Hex.encode(Rfc6962.sha256(artifact))
        + "\"}},\"signature\":{\"content\":\""
        + Base64.getEncoder().encodeToString(signature)
        + "\",\"publicKey\":{\"content\":\""
        + certPemBase64
        + "\"}}}}";
  }

  /** {@code n} proposals over distinct artifacts, each signed (in parallel) and valid. */
  public List<byte[]> signed(int n) {
    byte[][] out = new byte[n][];
    IntStream.range(0, n)
        .parallel()
        .forEach(
            i -> {
              byte[] a = artifact(i);
              out[i] = proposal(a, sign(key.getPrivate(), a)).getBytes(StandardCharsets.UTF_8);
            });
    return List.of(out);
  }

  /**
   * {@code n} distinct canonical entries as the REST layer hands them to the log. One proposal is
   * signed and canonicalized for real; the others repeat its body with another artifact digest (in
   * the body and in its {@code sha256:} index key), so their signatures would not verify. The log
   * does not verify signatures, and we are not measuring canonicalization here.
   */
  public List<EntryDraft> canonicalDrafts(int n) {
    CanonicalEntry template;
    try {
      template = EntryTypes.canonicalize(new ObjectMapper().readTree(signed(1).get(0)));
    } catch (IOException | InvalidEntryException e) {
      throw new IllegalStateException("the bench's own proposal does not canonicalize", e);
    }
    String body = new String(template.body(), StandardCharsets.UTF_8);
    String digest = Hex.encode(Rfc6962.sha256(artifact(0)));
    List<EntryDraft> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String d = Hex.encode(Rfc6962.sha256(("synthetic " + runId + " #" + i).getBytes(StandardCharsets.UTF_8)));
      List<String> keys = new ArrayList<>(template.indexKeys().size());
      for (String k : template.indexKeys()) {
        keys.add(k.replace(digest, d));
      }
      out.add(
          EntryDraft.of(
              template.kind(),
              template.apiVersion(),
              body.replace(digest, d).getBytes(StandardCharsets.UTF_8),
              keys));
    }
    return out;
  }
}
