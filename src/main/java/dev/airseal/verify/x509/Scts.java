package dev.airseal.verify.x509;

import dev.airseal.crypto.Ecdsa;
import dev.airseal.trust.CtLog;
import dev.airseal.trust.TrustedRoot;
import dev.airseal.verify.VerificationException;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Embedded signed certificate timestamps: proof that a CT log was shown the certificate before
 * Fulcio issued it, so a mis-issued certificate cannot stay secret.
 *
 * <p>SPEC: RFC 6962 section 3.2 and 3.3. The SCT signs a precertificate entry: the issuer's key
 * hash and the leaf's TBSCertificate with the SCT list extension removed (Fulcio signs the
 * precertificate with the final issuer, so no precertificate-signing-certificate rewrite applies).
 */
public final class Scts {
  public static final String SCT_LIST_OID = "1.3.6.1.4.1.11129.2.4.2";
  private static final int SIGNATURE_TYPE_CERTIFICATE_TIMESTAMP = 0;
  private static final int ENTRY_TYPE_PRECERT = 1;

  private Scts() {}

  /**
   * Verifies the SCTs embedded in {@code leaf} against the CT logs of {@code root}; each must be
   * from a known log, signed at a time within that log's validity, and at least {@code threshold}
   * distinct logs must vouch.
   *
   * @return how many distinct logs verified
   */
  public static int verify(X509Certificate leaf, X509Certificate issuer, TrustedRoot root, int threshold)
      throws VerificationException {
    byte[] ext = leaf.getExtensionValue(SCT_LIST_OID);
    if (ext == null) {
      if (threshold <= 0) {
        return 0;
      }
      throw new VerificationException(
          "certificate " + CertificateChains.describe(leaf) + " has no embedded SCTs; "
              + threshold + " required");
    }
    List<Sct> scts = SctList.parse(ext);
    byte[] signedPrefix = precertEntry(leaf, issuer);
    Set<String> verifiedLogs = new HashSet<>();
    List<String> failures = new ArrayList<>();
    HexFormat hex = HexFormat.of();
    for (Sct sct : scts) {
      String id = hex.formatHex(sct.logId());
      Optional<CtLog> log = root.ctlogByLogId(sct.logId());
      if (log.isEmpty()) {
        failures.add("SCT from unknown log " + id);
        continue;
      }
      Instant when = Instant.ofEpochMilli(sct.timestamp());
      if (!log.get().validFor().contains(when)) {
        failures.add("SCT from " + log.get().baseUrl() + " at " + when + " outside its validity "
            + log.get().validFor());
        continue;
      }
      if (!signatureVerifies(log.get(), root, sct, signedPrefix)) {
        failures.add("SCT signature from " + log.get().baseUrl() + " (" + id + ") does not verify");
        continue;
      }
      verifiedLogs.add(id);
    }
    if (verifiedLogs.size() < threshold) {
      throw new VerificationException(
          verifiedLogs.size() + " of " + scts.size() + " embedded SCTs verified, " + threshold
              + " required: " + String.join("; ", failures));
    }
    return verifiedLogs.size();
  }

  /**
   * The part of the RFC 6962 {@code digitally-signed} struct after the timestamp that does not
   * depend on the SCT: entry type, issuer key hash, the TBS without the SCT list.
   */
  private static byte[] precertEntry(X509Certificate leaf, X509Certificate issuer)
      throws VerificationException {
    try {
      byte[] keyHash =
          MessageDigest.getInstance("SHA-256").digest(issuer.getPublicKey().getEncoded());
      byte[] tbs = PrecertTbs.withoutExtension(leaf.getTBSCertificate(), SCT_LIST_OID);
      Tls out = new Tls();
      out.u16(ENTRY_TYPE_PRECERT);
      out.bytes(keyHash);
      out.u24(tbs.length);
      out.bytes(tbs);
      return out.toByteArray();
    } catch (CertificateEncodingException | IOException e) {
      throw new VerificationException("cannot rebuild precertificate TBS: " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static boolean signatureVerifies(CtLog log, TrustedRoot root, Sct sct, byte[] entry) {
    Tls signed = new Tls();
    signed.u8(sct.version());
    signed.u8(SIGNATURE_TYPE_CERTIFICATE_TIMESTAMP);
    signed.u64(sct.timestamp());
    signed.bytes(entry);
    signed.u16(sct.extensions().length);
    signed.bytes(sct.extensions());
    try {
      if (sct.isEcdsa()) {
        return Ecdsa.verify(root.preparedKey(log.publicKey()), sct.digestAlgorithm(), signed.toByteArray(), sct.signature());
      }
      Signature s = Signature.getInstance(sct.jcaAlgorithm(), CertificateChains.BC);
      s.initVerify(log.publicKey());
      s.update(signed.toByteArray());
      return s.verify(sct.signature());
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      // An undecodable signature, or one the log's key type cannot make, is not a valid one.
      return false;
    }
  }
}
