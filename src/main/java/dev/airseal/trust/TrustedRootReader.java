package dev.airseal.trust;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads the protobuf JSON form of {@code dev.sigstore.trustroot.v1.TrustedRoot}.
 *
 * <p>SPEC: sigstore/protobuf-specs protos/sigstore_trustroot.proto and sigstore_common.proto.
 */
final class TrustedRootReader {
  private static final Set<String> ROOT =
      Set.of("mediaType", "tlogs", "certificateAuthorities", "ctlogs", "timestampAuthorities");
  private static final Set<String> TLOG =
      Set.of("baseUrl", "hashAlgorithm", "publicKey", "logId", "checkpointKeyId", "operator");
  private static final Set<String> PUBLIC_KEY = Set.of("rawBytes", "keyDetails", "validFor");
  private static final Set<String> LOG_ID = Set.of("keyId");
  private static final Set<String> CA = Set.of("subject", "uri", "certChain", "validFor", "operator");
  private static final Set<String> SUBJECT = Set.of("organization", "commonName");
  private static final Set<String> CHAIN = Set.of("certificates");
  private static final Set<String> CERT = Set.of("rawBytes");
  private static final Set<String> RANGE = Set.of("start", "end");
  private static final Set<String> HASHES =
      Set.of("SHA2_256", "SHA2_384", "SHA2_512", "SHA3_256", "SHA3_384");

  private TrustedRootReader() {}

  static TrustedRoot read(JsonField root) throws TrustRootException {
    root.object(ROOT);
    String mediaType = root.get("mediaType").string();
    if (!TrustedRoot.MEDIA_TYPES.contains(mediaType)) {
      throw root.get("mediaType")
          .error("unsupported media type " + mediaType + ", expected one of " + TrustedRoot.MEDIA_TYPES);
    }
    List<TlogInstance> tlogs = new ArrayList<>();
    for (JsonField t : root.get("tlogs").array()) {
      tlogs.add(tlog(t));
    }
    List<CertificateAuthority> cas = new ArrayList<>();
    for (JsonField c : root.get("certificateAuthorities").array()) {
      cas.add(authority(c));
    }
    List<CtLog> ctlogs = new ArrayList<>();
    for (JsonField c : root.get("ctlogs").array()) {
      TlogInstance t = tlog(c);
      if (t.checkpointKeyId() != null) {
        throw c.get("checkpointKeyId").error("not meaningful for a CT log");
      }
      ctlogs.add(
          new CtLog(
              t.baseUrl(),
              t.publicKey(),
              t.logId(),
              t.validFor(),
              t.hashAlgorithm(),
              t.keyDetails(),
              t.rawPublicKey(),
              t.operator()));
    }
    List<CertificateAuthority> tsas = new ArrayList<>();
    for (JsonField c : root.get("timestampAuthorities").array()) {
      tsas.add(authority(c));
    }
    return new TrustedRoot(mediaType, tlogs, cas, ctlogs, tsas);
  }

  static TlogInstance tlog(JsonField t) throws TrustRootException {
    t.object(TLOG);
    String hash = t.get("hashAlgorithm").string();
    if (!HASHES.contains(hash)) {
      throw t.get("hashAlgorithm").error("unknown hash algorithm " + hash);
    }
    JsonField pk = t.get("publicKey").object(PUBLIC_KEY);
    byte[] raw = pk.get("rawBytes").bytes();
    String details = pk.get("keyDetails").string();
    PublicKey key;
    try {
      key = KeyDetails.decode(details, raw);
    } catch (IOException | RuntimeException e) {
      throw pk.get("rawBytes").error("cannot decode " + details + " key: " + e.getMessage());
    }
    ValidFor validFor = validFor(pk.get("validFor"));
    byte[] logId = t.get("logId").object(LOG_ID).get("keyId").bytes();
    JsonField cp = t.get("checkpointKeyId");
    byte[] checkpointKeyId = cp.present() ? cp.object(LOG_ID).get("keyId").bytes() : null;
    String operator = t.get("operator").stringOr(null);
    return new TlogInstance(
        t.get("baseUrl").string(), hash, key, details, raw, validFor, logId, checkpointKeyId, operator);
  }

  /** One {@code CertificateAuthority} message; also how a lone {@code ca.json} is read. */
  static CertificateAuthority authority(JsonField c) throws TrustRootException {
    c.object(CA);
    JsonField subject = c.get("subject");
    String org = "";
    String cn = "";
    if (subject.present()) {
      subject.object(SUBJECT);
      org = subject.get("organization").stringOr("");
      cn = subject.get("commonName").stringOr("");
    }
    List<JsonField> raw = c.get("certChain").object(CHAIN).get("certificates").array();
    if (raw.isEmpty()) {
      throw c.get("certChain.certificates").error("missing a certificate");
    }
    List<X509Certificate> chain = new ArrayList<>();
    for (JsonField cert : raw) {
      chain.add(certificate(cert.object(CERT).get("rawBytes")));
    }
    // protobuf-specs: "The root certificate MUST be self-signed". A chain ending in an
    // intermediate would make that intermediate's issuer's revocation invisible to us.
    X509Certificate last = chain.get(chain.size() - 1);
    if (!SelfSigned.is(last)) {
      throw c.get("certChain.certificates[" + (chain.size() - 1) + "]")
          .error("last certificate (" + last.getSubjectX500Principal() + ") is not a self-signed root");
    }
    for (int i = 0; i + 1 < chain.size(); i++) {
      if (!chain.get(i).getIssuerX500Principal().equals(chain.get(i + 1).getSubjectX500Principal())) {
        throw c.get("certChain.certificates[" + i + "]")
            .error("issuer " + chain.get(i).getIssuerX500Principal() + " is not the next certificate");
      }
    }
    return new CertificateAuthority(
        c.get("uri").stringOr(""), org, cn, chain, validFor(c.get("validFor")),
        c.get("operator").stringOr(null));
  }

  private static X509Certificate certificate(JsonField f) throws TrustRootException {
    byte[] der = f.bytes();
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509", KeyDetails.BC).generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException e) {
      throw f.error("not a DER X.509 certificate: " + e.getMessage());
    }
  }

  private static ValidFor validFor(JsonField f) throws TrustRootException {
    if (!f.present()) {
      throw f.error("missing; every key and authority needs a validity window");
    }
    f.object(RANGE);
    Instant start = f.get("start").timestamp();
    JsonField endField = f.get("end");
    Instant end = endField.present() ? endField.timestamp() : null;
    if (end != null && end.isBefore(start)) {
      throw endField.error("end " + end + " is before start " + start);
    }
    return new ValidFor(start, end);
  }
}
