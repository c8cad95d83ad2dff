package dev.airseal.trust.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.config.AirsealConfig;
import dev.airseal.log.Rfc6962;
import dev.airseal.log.TransparencyLog;
import dev.airseal.log.rekor.RekorLog;
import dev.airseal.store.TrustRootVersions;
import dev.airseal.trust.CertificateAuthority;
import dev.airseal.trust.CtLog;
import dev.airseal.trust.TlogInstance;
import dev.airseal.trust.TrustRootException;
import dev.airseal.trust.TrustedRoot;
import dev.airseal.trust.ValidFor;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.security.cert.CertificateEncodingException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The site's trust root: created from the appliance's own keys, extended with authorities carried
 * in from outside, every change a new stored version with its reason audited.
 */
@ApplicationScoped
public class TrustRootService {
  private static final Logger LOG = Logger.getLogger(TrustRootService.class);

  @Inject AirsealConfig config;
  @Inject RekorLog rekorLog;
  @Inject Instance<DataSource> dataSource;
  @Inject dev.airseal.tsa.TsaService tsa;

  @ConfigProperty(name = "quarkus.http.port", defaultValue = "8080")
  int port;

  /** A stored version, parsed. */
  public record Current(int version, TrustedRoot root, TrustRootVersions.Version stored) {}

  // After the log has opened (default observer priority 2500): the root names the log's key.
  void onStart(@Observes @Priority(3000) StartupEvent ev) {
    if (config.log().autostart()) {
      warnOnHostMismatch();
    }
    if (config.log().autostart() && config.trust().autoInit()) {
      init("airseal", "created at first start from the appliance's keys");
    }
  }

  TrustRootVersions versions() {
    return new TrustRootVersions(dataSource.get());
  }

  /** Creates version 1 from the appliance's keys unless a version exists; returns the current. */
  public synchronized Current init(String actor, String reason) {
    Optional<Current> existing = current();
    if (existing.isPresent()) {
      return existing.get();
    }
    TrustedRoot root =
        new TrustedRoot(mediaType(), List.of(ownLog()), List.of(), List.of(), ownTsa());
    try {
      versions().add(0, root.toJson(), actor, reason);
    } catch (IllegalStateException raced) {
      // Replicas sharing one database start together: another one created version 1 first.
      return current().orElseThrow(() -> raced);
    }
    LOG.infof("trust root version 1 created: log %s", logUrl());
    return current().orElseThrow();
  }

  public Optional<Current> current() {
    // Versions never change once stored, so the parsed current one is kept until a newer exists;
    // admission asks every second.
    Current memo = parsed;
    if (memo != null && (memo.version() + ":" + memo.stored().sha256()).equals(versions().currentStamp())) {
      return Optional.of(memo);
    }
    Optional<Current> cur = versions().current().map(TrustRootService::parse);
    cur.ifPresent(c -> parsed = c);
    return cur;
  }

  private volatile Current parsed;

  public Optional<Current> version(int n) {
    return versions().get(n).map(TrustRootService::parse);
  }

  public List<TrustRootVersions.Version> history() {
    return versions().history();
  }

  private static Current parse(TrustRootVersions.Version v) {
    try {
      return new Current(v.version(), TrustedRoot.parse(v.document()), v);
    } catch (TrustRootException e) {
      throw new IllegalStateException("stored trust root version " + v.version() + " does not parse", e);
    }
  }

  /**
   * Adds the authorities of {@code other} (logs, CAs, CT logs, TSAs) that the current root lacks,
   * as a new version. Nothing the current root holds is dropped.
   */
  public synchronized Current add(TrustedRoot other, String actor, String reason) {
    Current cur = requireCurrent();
    TrustedRoot r = cur.root();
    List<TlogInstance> tlogs = new ArrayList<>(r.tlogs());
    other.tlogs().stream().filter(t -> r.tlogByLogId(t.logId()).isEmpty()).forEach(tlogs::add);
    List<CtLog> ctlogs = new ArrayList<>(r.ctlogs());
    other.ctlogs().stream().filter(c -> r.ctlogByLogId(c.logId()).isEmpty()).forEach(ctlogs::add);
    List<CertificateAuthority> cas = merge(r.certificateAuthorities(), other.certificateAuthorities());
    List<CertificateAuthority> tsas = merge(r.timestampAuthorities(), other.timestampAuthorities());
    TrustedRoot next = new TrustedRoot(mediaType(), tlogs, cas, ctlogs, tsas);
    if (next.equals(r)) {
      throw new IllegalArgumentException("the given root adds nothing the current root does not hold");
    }
    return store(cur, next, actor, reason);
  }

  /** The kinds of authority {@link #remove} takes. */
  public enum Kind { TLOG, CTLOG, CA, TSA }

  /**
   * Removes one authority: a log by its log ID (hex or base64), a CA or TSA by the SHA-256 (hex)
   * of its root certificate. The appliance's own log cannot be removed: nothing could verify it.
   */
  public synchronized Current remove(Kind kind, String id, String actor, String reason) {
    Current cur = requireCurrent();
    TrustedRoot r = cur.root();
    byte[] want = decodeId(id);
    List<TlogInstance> tlogs = new ArrayList<>(r.tlogs());
    List<CtLog> ctlogs = new ArrayList<>(r.ctlogs());
    List<CertificateAuthority> cas = new ArrayList<>(r.certificateAuthorities());
    List<CertificateAuthority> tsas = new ArrayList<>(r.timestampAuthorities());
    boolean removed =
        switch (kind) {
          case TLOG -> {
            // Every key the log has had, retired ones included: entries signed before a rotation
            // verify only with the key that signed them.
            if (rekorLog.keys().byLogId(HexFormat.of().formatHex(want)).isPresent()) {
              throw new IllegalArgumentException("refusing to remove the appliance's own log: its entries would no longer verify");
            }
            yield tlogs.removeIf(t -> Arrays.equals(t.logId(), want));
          }
          case CTLOG -> ctlogs.removeIf(c -> Arrays.equals(c.logId(), want));
          case CA -> cas.removeIf(rootIs(want));
          case TSA -> tsas.removeIf(rootIs(want));
        };
    if (!removed) {
      throw new IllegalArgumentException("the current root holds no " + kind + " with id " + id);
    }
    return store(cur, new TrustedRoot(mediaType(), tlogs, cas, ctlogs, tsas), actor, reason);
  }

  /**
   * Starts a new log key: entries integrated from a second or two from now on, their SETs and
   * their batches' checkpoints, are signed with it; the tree and its origin stay. The new version
   * lists the new key from that second and ends the old key's window the second before, so
   * clients holding the new root verify entries and checkpoints of either key.
   *
   * @param keyUri a key as {@code Signers.fromUri} reads it, or blank for a new software key at
   *     {@code <data-dir>/keys/log-key-<first second>.pem} (0600)
   */
  public synchronized Current rotateLogKey(String keyUri, String actor, String reason) {
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("a trust root change needs a reason; it is audited");
    }
    Current cur = requireCurrent();
    TransparencyLog log = rekorLog.log();
    if (!log.sequencing()) {
      throw new IllegalStateException(
          "this replica follows; rotate the log key on the leader (table cluster_leader names it, see docs/ha.md)");
    }
    String currentId = rekorLog.logIdHex();
    TlogInstance old = cur.root().tlogByLogId(HexFormat.of().parseHex(currentId)).orElseThrow(
        () -> new IllegalStateException("the current trust root does not list the log's key " + currentId));
    // A second or two ahead: batches already integrating this second keep the old key, and the
    // switch is registered with the log before any batch reaches it.
    long from = Instant.now().getEpochSecond() + ROTATION_LEAD_SECONDS;
    Instant start = Instant.ofEpochSecond(from);
    java.nio.file.Path created = null;
    dev.airseal.signing.Signer next;
    try {
      if (keyUri == null || keyUri.isBlank()) {
        created = java.nio.file.Path.of(config.dataDir(), "keys", "log-key-" + from + ".pem");
        if (java.nio.file.Files.exists(created)) {
          throw new IllegalStateException("a rotated log key " + created + " exists already; retry in a second");
        }
        java.nio.file.Files.createDirectories(created.getParent());
        next = new dev.airseal.signing.soft.SoftwareSigner(dev.airseal.signing.soft.KeyFiles.loadOrCreateEcKey(created));
      } else {
        next = dev.airseal.signing.Signers.fromUri(keyUri);
      }
    } catch (java.io.IOException | RuntimeException e) {
      if (e instanceof IllegalStateException ise) {
        throw ise;
      }
      throw new IllegalArgumentException("cannot open the new log key " + (keyUri == null ? "" : dev.airseal.signing.Signers.redact(keyUri)) + ": " + e.getMessage(), e);
    }
    byte[] der = next.publicKey().getEncoded();
    byte[] newId = Rfc6962.sha256(der);
    if (cur.root().tlogByLogId(newId).isPresent()) {
      deleteQuietly(created);
      throw new IllegalArgumentException("the trust root already lists key " + HexFormat.of().formatHex(newId) + ": a rotation needs a new key");
    }
    TlogInstance fresh = new TlogInstance(
        old.baseUrl(), old.hashAlgorithm(), next.publicKey(), next.algorithm().name(), der,
        ValidFor.from(start), newId, null, old.operator());
    TlogInstance ended = new TlogInstance(
        old.baseUrl(), old.hashAlgorithm(), old.publicKey(), old.keyDetails(), old.rawPublicKey(),
        new ValidFor(old.validFor().start(), start.minusSeconds(1)), old.logId(), old.checkpointKeyId(), old.operator());
    List<TlogInstance> tlogs = new ArrayList<>();
    for (TlogInstance t : cur.root().tlogs()) {
      tlogs.add(Arrays.equals(t.logId(), old.logId()) ? ended : t);
    }
    tlogs.add(fresh);
    TrustedRoot r = cur.root();
    TrustedRoot root = new TrustedRoot(mediaType(), tlogs, r.certificateAuthorities(), r.ctlogs(), r.timestampAuthorities());
    var before = rekorLog.rotate(next, keyUri == null ? "" : keyUri, from);
    try {
      Current stored = store(cur, root, actor, reason);
      LOG.infof("log key rotated: %s until %s, %s from %s (trust root version %d)",
          currentId, start.minusSeconds(1), HexFormat.of().formatHex(newId), start, stored.version());
      return stored;
    } catch (RuntimeException e) {
      rekorLog.undoRotation(before, from);
      if (Instant.now().getEpochSecond() >= from) {
        LOG.errorf("recording the log key rotation failed after %s: entries integrated since then carry"
            + " SETs by key %s, which no trust root lists", start, HexFormat.of().formatHex(newId));
      } else {
        deleteQuietly(created);
      }
      throw e;
    }
  }

  private static final long ROTATION_LEAD_SECONDS = 2;

  private static void deleteQuietly(java.nio.file.Path p) {
    if (p != null) {
      try {
        java.nio.file.Files.deleteIfExists(p);
      } catch (java.io.IOException ignored) {
        // A stray unused key file is harmless: no root lists it.
      }
    }
  }

  private Current store(Current cur, TrustedRoot next, String actor, String reason) {
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("a trust root change needs a reason; it is audited");
    }
    versions().add(cur.version(), next.toJson(), actor, reason);
    return current().orElseThrow();
  }

  private Current requireCurrent() {
    return current().orElseThrow(() -> new IllegalStateException("no trust root yet: run 'trust init'"));
  }

  private TlogInstance ownLog() {
    TransparencyLog log = rekorLog.log();
    byte[] der = log.signer().publicKey().getEncoded();
    // Valid from the first entry's integration (or now, for an empty log): every SET the log has
    // signed falls inside the window.
    Instant start = log.entry(0).map(e -> Instant.ofEpochSecond(e.integratedTime())).orElse(Instant.now());
    return new TlogInstance(
        logUrl(), "SHA2_256", log.signer().publicKey(), log.signer().algorithm().name(), der,
        ValidFor.from(start.minusSeconds(1)), Rfc6962.sha256(der), null,
        config.trust().operator().orElse(log.hostname()));
  }

  // The appliance's own timestamp authority, when it runs: its chain, valid from the leaf's start.
  private List<CertificateAuthority> ownTsa() {
    return tsa.authority().map(a -> {
      try {
        var conv = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter();
        List<java.security.cert.X509Certificate> chain = new ArrayList<>();
        for (var h : a.chain().certificates()) {
          chain.add(conv.getCertificate(h));
        }
        org.bouncycastle.asn1.x500.X500Name subject = a.chain().leaf().getSubject();
        return List.of(new CertificateAuthority(
            tsaUrl(), rdn(subject, org.bouncycastle.asn1.x500.style.BCStyle.O),
            rdn(subject, org.bouncycastle.asn1.x500.style.BCStyle.CN), chain,
            ValidFor.from(chain.get(0).getNotBefore().toInstant()),
            config.trust().operator().orElse(rekorLog.log().hostname())));
      } catch (java.security.cert.CertificateException e) {
        throw new IllegalStateException("TSA chain does not convert", e);
      }
    }).orElse(List.of());
  }

  /** A SigningConfig v0.2 naming this site's log and TSA, so clients know where to log. */
  public ObjectNode signingConfig(ObjectMapper json) {
    ObjectNode c = json.createObjectNode();
    c.put("mediaType", "application/vnd.dev.sigstore.signingconfig.v0.2+json");
    c.putArray("caUrls");
    c.putArray("oidcUrls");
    ArrayNode rekor = c.putArray("rekorTlogUrls");
    current().ifPresent(cur -> cur.root().tlogs().stream()
        // One service per log: a rotated-out key's entry names the same URL.
        .filter(t -> t.baseUrl().equals(logUrl()) && t.validFor().end() == null)
        .forEach(t -> {
          ObjectNode s = rekor.addObject();
          s.put("url", t.baseUrl());
          s.put("majorApiVersion", 1);
          s.putObject("validFor").put("start", t.validFor().start().toString());
          if (t.operator() != null) {
            s.put("operator", t.operator());
          }
        }));
    ArrayNode tsas = c.putArray("tsaUrls");
    current().ifPresent(cur -> cur.root().timestampAuthorities().stream()
        .filter(a -> a.uri().equals(tsaUrl()))
        .forEach(a -> {
          ObjectNode s = tsas.addObject();
          s.put("url", a.uri());
          s.put("majorApiVersion", 1);
          s.putObject("validFor").put("start", a.validFor().start().toString());
          if (a.operator() != null) {
            s.put("operator", a.operator());
          }
        }));
    c.putObject("rekorTlogConfig").put("selector", "ANY");
    c.putObject("tsaConfig").put("selector", "ANY");
    return c;
  }

  private static String rdn(org.bouncycastle.asn1.x500.X500Name name, org.bouncycastle.asn1.ASN1ObjectIdentifier type) {
    var rdns = name.getRDNs(type);
    return rdns.length == 0 ? "" : org.bouncycastle.asn1.x500.style.IETFUtils.valueToString(rdns[0].getFirst().getValue());
  }

  /** The timestamp authority's URL, on the same origin as the log. */
  public String tsaUrl() {
    return logUrl() + "/api/v1/timestamp";
  }

  /**
   * The media type the site's root is written with: v0.2 by default; v0.1 for sites whose clients
   * include sigstore-java 2.0.0, which refuses any other.
   */
  String mediaType() {
    return switch (config.trust().mediaVersion()) {
      case "0.1" -> TrustedRoot.MEDIA_TYPE_V01;
      case "0.2" -> TrustedRoot.MEDIA_TYPE_V02;
      default -> throw new IllegalArgumentException(
          "airseal.trust.media-version must be 0.1 or 0.2, got " + config.trust().mediaVersion());
    };
  }

  // sigstore-java and sigstore-js accept a checkpoint only if its signature name is the host of the
  // trust root's baseUrl: a mismatch makes every proof from this log fail in those clients.
  private void warnOnHostMismatch() {
    String host = java.net.URI.create(logUrl()).getHost();
    String name = rekorLog.log().hostname();
    if (host != null && !host.equals(name)) {
      LOG.warnf("airseal.trust.log-url host '%s' differs from airseal.log.hostname '%s', the name"
          + " checkpoints are signed with: sigstore-java and sigstore-js clients will refuse this log's"
          + " proofs. Set airseal.log.hostname=%s.", host, name, host);
    }
  }

  /** The log's URL as clients use it. */
  public String logUrl() {
    return config.trust().logUrl().orElse("http://" + rekorLog.log().hostname() + ":" + port);
  }

  private static List<CertificateAuthority> merge(List<CertificateAuthority> have, List<CertificateAuthority> add) {
    List<CertificateAuthority> out = new ArrayList<>(have);
    for (CertificateAuthority a : add) {
      byte[] id = rootId(a);
      if (out.stream().noneMatch(rootIs(id))) {
        out.add(a);
      }
    }
    return out;
  }

  private static Predicate<CertificateAuthority> rootIs(byte[] id) {
    return a -> Arrays.equals(rootId(a), id);
  }

  static byte[] rootId(CertificateAuthority a) {
    try {
      return Rfc6962.sha256(a.root().getEncoded());
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] decodeId(String id) {
    try {
      return id.matches("[0-9a-fA-F]{64}") ? HexFormat.of().parseHex(id) : java.util.Base64.getDecoder().decode(id);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("id must be a 64-hex or base64 SHA-256: " + id);
    }
  }
}
