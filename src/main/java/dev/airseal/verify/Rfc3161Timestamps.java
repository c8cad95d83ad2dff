package dev.airseal.verify;

import dev.airseal.log.Hex;
import dev.airseal.trust.CertificateAuthority;
import dev.airseal.trust.TrustedRoot;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampToken;

/**
 * RFC 3161 signed timestamps over the bundle's signature. Only the trusted root's TSAs count:
 * certificates embedded in a token are never trusted, they only help find the signer.
 */
// SPEC: RFC 3161 section 2.4.2; protobuf-specs TimestampVerificationData
final class Rfc3161Timestamps {
  private static final String CHECK = "timestamp.rfc3161";

  /** sigstore-python refuses more; a bundle has no reason to carry dozens of timestamps. */
  static final int MAX_TIMESTAMPS = 32;

  private Rfc3161Timestamps() {}

  /** The times the verified timestamps prove, and why each other timestamp proves nothing. */
  record Result(List<Instant> times, List<String> rejected) {}

  /**
   * Verifies every timestamp. A timestamp that does not verify is not fatal here, it only proves no
   * time (as in sigstore-go and sigstore-python, which count verified timestamps against a
   * threshold); too many or duplicated timestamps make the bundle malformed.
   */
  static Result verify(List<byte[]> timestamps, byte[] signature, TrustedRoot root)
      throws CheckFailure {
    if (timestamps.size() > MAX_TIMESTAMPS) {
      throw new CheckFailure(
          CHECK, "bundle has " + timestamps.size() + " timestamps, too many (at most " + MAX_TIMESTAMPS + ")");
    }
    for (int i = 0; i < timestamps.size(); i++) {
      for (int j = 0; j < i; j++) {
        if (MessageDigest.isEqual(timestamps.get(i), timestamps.get(j))) {
          throw new CheckFailure(CHECK, "timestamp " + i + " is a duplicate of timestamp " + j);
        }
      }
    }
    // As sigstore-python: timestamps against a root without TSAs mean the wrong root was chosen.
    if (!timestamps.isEmpty() && root.timestampAuthorities().isEmpty()) {
      throw new CheckFailure(
          CHECK,
          "bundle carries " + timestamps.size() + " signed timestamp(s) but the trusted root has no"
              + " timestamp authorities");
    }
    List<Instant> times = new ArrayList<>();
    List<String> rejected = new ArrayList<>();
    for (int i = 0; i < timestamps.size(); i++) {
      try {
        times.add(verifyOne(i, timestamps.get(i), signature, root));
      } catch (CheckFailure f) {
        rejected.add(f.getMessage());
      }
    }
    return new Result(times, rejected);
  }

  private static Instant verifyOne(int i, byte[] der, byte[] signature, TrustedRoot root)
      throws CheckFailure {
    String what = "timestamp " + i;
    TimeStampToken token = parse(der, what);
    ASN1ObjectIdentifier alg = token.getTimeStampInfo().getMessageImprintAlgOID();
    String jca = jcaName(alg);
    if (jca == null) {
      throw new CheckFailure(CHECK, what + ": message imprint algorithm " + alg + " is not supported");
    }
    byte[] want = Digests.digest(jca, signature);
    byte[] imprint = token.getTimeStampInfo().getMessageImprintDigest();
    if (!MessageDigest.isEqual(want, imprint)) {
      throw new CheckFailure(
          CHECK,
          what + ": message imprint " + Hex.encode(imprint) + " is not the " + jca
              + " of the bundle's signature " + Hex.encode(want));
    }
    Instant genTime = token.getTimeStampInfo().getGenTime().toInstant();
    List<String> tried = new ArrayList<>();
    for (CertificateAuthority tsa : root.timestampAuthorities()) {
      String name = tsa.uri().isEmpty() ? tsa.subjectCommonName() : tsa.uri();
      X509Certificate signer = tsa.chain().get(0);
      try {
        X509CertificateHolder holder = new X509CertificateHolder(signer.getEncoded());
        if (!token.getSID().match(holder)) {
          tried.add(name + ": not the signer");
          continue;
        }
        // validate(): CMS signature, ESSCertID binding to this certificate, critical timeStamping
        // EKU, and the certificate's validity at genTime.
        token.validate(new JcaSimpleSignerInfoVerifierBuilder().setProvider(Signatures.BC).build(holder));
      } catch (TSPException | OperatorCreationException | GeneralSecurityException | IOException e) {
        tried.add(name + ": " + e.getMessage());
        continue;
      }
      String chainProblem = chainProblem(tsa.chain(), genTime);
      if (chainProblem != null) {
        tried.add(name + ": " + chainProblem);
        continue;
      }
      if (!tsa.validFor().contains(genTime)) {
        tried.add(name + ": time " + genTime + " is outside the TSA's trusted-root validity " + tsa.validFor());
        continue;
      }
      return genTime;
    }
    throw new CheckFailure(
        CHECK,
        what + " (time " + genTime + ") is not verified by any trusted TSA"
            + (tried.isEmpty() ? ": the trusted root has no timestamp authorities" : ": " + tried));
  }

  /** Each certificate signed by the next, and all valid at {@code t}; null if so. */
  private static String chainProblem(List<X509Certificate> chain, Instant t) {
    for (int k = 0; k < chain.size(); k++) {
      X509Certificate c = chain.get(k);
      java.util.Date d = java.util.Date.from(t);
      if (d.before(c.getNotBefore()) || d.after(c.getNotAfter())) {
        return "certificate " + c.getSubjectX500Principal() + " is not valid at " + t;
      }
      X509Certificate issuer = chain.get(Math.min(k + 1, chain.size() - 1));
      try {
        c.verify(issuer.getPublicKey(), Signatures.BC);
      } catch (GeneralSecurityException | RuntimeException e) {
        return "certificate " + c.getSubjectX500Principal() + " is not signed by " + issuer.getSubjectX500Principal();
      }
    }
    return null;
  }

  private static TimeStampToken parse(byte[] der, String what) throws CheckFailure {
    try {
      TimeStampResponse resp = new TimeStampResponse(der);
      if (resp.getTimeStampToken() == null) {
        throw new CheckFailure(CHECK, what + ": response has status " + resp.getStatus() + " and no token");
      }
      return resp.getTimeStampToken();
    } catch (TSPException | IOException | RuntimeException e) {
      // Some producers store the bare TimeStampToken (a CMS SignedData) instead of the response.
      try {
        return new TimeStampToken(new CMSSignedData(der));
      } catch (CMSException | TSPException | IOException | RuntimeException e2) {
        throw new CheckFailure(CHECK, what + " is not an RFC 3161 response or token: " + e.getMessage());
      }
    }
  }

  private static String jcaName(ASN1ObjectIdentifier oid) {
    if (NISTObjectIdentifiers.id_sha256.equals(oid)) {
      return "SHA-256";
    }
    if (NISTObjectIdentifiers.id_sha384.equals(oid)) {
      return "SHA-384";
    }
    if (NISTObjectIdentifiers.id_sha512.equals(oid)) {
      return "SHA-512";
    }
    return null;
  }
}
