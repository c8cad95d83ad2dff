package dev.airseal.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.log.Hex;
import dev.airseal.log.rekor.RekorLog;
import dev.airseal.store.AuditEvent;
import dev.airseal.store.AuditLog;
import dev.airseal.store.TrustRootVersions;
import dev.airseal.trust.CertificateAuthority;
import dev.airseal.trust.CtLog;
import dev.airseal.trust.TlogInstance;
import dev.airseal.trust.TrustedRoot;
import dev.airseal.trust.ValidFor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Everything the console page shows, as one JSON document read at request time. */
@ApplicationScoped
public class ConsoleSummary {
  static final int BUNDLES = 50;
  static final int DECISIONS = 100;
  /** Decisions read before sorting denials first: enough that a burst of allows does not hide them. */
  static final int DECISIONS_SCANNED = 1000;
  private static final Duration EXPIRES_SOON = Duration.ofDays(30);
  private static final Map<String, Integer> OUTCOME_RANK = Map.of("deny", 0, "warn", 1, "allow", 2);

  private final ObjectMapper json = new ObjectMapper();

  @Inject Instance<DataSource> dataSource;
  @Inject Instance<RekorLog> rekorLog;
  @Inject @Readiness @Any Instance<HealthCheck> readiness;

  public ObjectNode build(Instant now) {
    ObjectNode out = json.createObjectNode().put("generatedAt", now.toString());
    out.set("log", log());
    out.set("trustRoot", trustRoot(now));
    AuditLog audit = new AuditLog(dataSource.get());
    out.set("bundles", bundles(audit));
    out.set("admissions", admissions(audit));
    ArrayNode maintenance = out.putArray("maintenance");
    for (String kind : List.of("backup", "restore")) {
      audit.recent(kind, 10).forEach(e -> maintenance.add(event(e)));
    }
    out.set("health", health());
    return out;
  }

  private ObjectNode log() {
    ObjectNode n = json.createObjectNode();
    try {
      var l = rekorLog.get().log();
      var head = l.published().head();
      n.put("state", "open").put("origin", l.origin()).put("treeSize", head.size())
          .put("rootHash", Hex.encode(head.root())).put("checkpoint", head.checkpoint())
          .put("checkpointTime", Instant.ofEpochMilli(head.timestamp()).toString());
    } catch (RuntimeException e) {
      n.put("state", "unavailable").put("reason", String.valueOf(e.getMessage()));
    }
    return n;
  }

  private ObjectNode trustRoot(Instant now) {
    ObjectNode n = json.createObjectNode();
    TrustRootVersions versions = new TrustRootVersions(dataSource.get());
    ArrayNode history = n.putArray("versions");
    for (TrustRootVersions.Version v : versions.history()) {
      history.addObject().put("version", v.version())
          .put("createdAt", Instant.ofEpochMilli(v.createdAt()).toString())
          .put("actor", v.actor()).put("reason", v.reason()).put("sha256", v.sha256());
    }
    ArrayNode entries = n.putArray("entries");
    versions.current().ifPresent(v -> {
      n.put("currentVersion", v.version());
      try {
        TrustedRoot root = TrustedRoot.parse(v.document());
        for (TlogInstance t : root.tlogs()) {
          entry(entries, "transparency log", t.baseUrl(), t.validFor(), null, now);
        }
        for (CtLog c : root.ctlogs()) {
          entry(entries, "CT log", c.baseUrl(), c.validFor(), null, now);
        }
        for (CertificateAuthority a : root.certificateAuthorities()) {
          entry(entries, "certificate authority", a.subjectCommonName(), a.validFor(),
              a.root().getNotAfter().toInstant(), now);
        }
        for (CertificateAuthority a : root.timestampAuthorities()) {
          entry(entries, "timestamp authority", a.subjectCommonName(), a.validFor(),
              a.chain().get(0).getNotAfter().toInstant(), now);
        }
      } catch (Exception e) {
        n.put("reason", "the current trust root does not parse: " + e.getMessage());
      }
    });
    return n;
  }

  // A trust entry ends at the earlier of its validity window and its certificate's notAfter.
  private static void entry(ArrayNode out, String kind, String name, ValidFor window,
      Instant certificateExpiry, Instant now) {
    Instant ends = window.end();
    if (certificateExpiry != null && (ends == null || certificateExpiry.isBefore(ends))) {
      ends = certificateExpiry;
    }
    String status = ends == null ? "ok"
        : ends.isBefore(now) ? "expired"
        : Duration.between(now, ends).compareTo(EXPIRES_SOON) < 0 ? "expires soon" : "ok";
    ObjectNode e = out.addObject().put("kind", kind).put("name", name)
        .put("validFrom", window.start().toString()).put("status", status);
    e.put("expires", ends == null ? null : ends.toString());
  }

  private ArrayNode bundles(AuditLog audit) {
    ArrayNode out = json.createArrayNode();
    for (AuditEvent e : audit.recent("bundle.import", BUNDLES)) {
      ObjectNode n = event(e);
      // The agreed subject of a bundle import is producer/sequence.
      int slash = e.subject().lastIndexOf('/');
      n.put("producer", slash < 0 ? e.subject() : e.subject().substring(0, slash));
      n.put("sequence", slash < 0 ? "" : e.subject().substring(slash + 1));
      out.add(n);
    }
    return out;
  }

  private ArrayNode admissions(AuditLog audit) {
    ArrayNode out = json.createArrayNode();
    audit.recent("admission.decision", DECISIONS_SCANNED).stream()
        .sorted(Comparator.comparingInt((AuditEvent e) -> OUTCOME_RANK.getOrDefault(e.outcome(), 3))
            .thenComparing(Comparator.comparingLong(AuditEvent::at).reversed()))
        .limit(DECISIONS)
        .forEach(e -> out.add(event(e)));
    return out;
  }

  private ObjectNode event(AuditEvent e) {
    return json.createObjectNode().put("id", e.id()).put("at", Instant.ofEpochMilli(e.at()).toString())
        .put("kind", e.kind()).put("actor", e.actor()).put("subject", e.subject())
        .put("outcome", e.outcome()).put("detail", e.detail());
  }

  private ArrayNode health() {
    ArrayNode out = json.createArrayNode();
    for (HealthCheck check : readiness) {
      ObjectNode n = out.addObject();
      try {
        HealthCheckResponse r = check.call();
        n.put("name", r.getName()).put("status", r.getStatus().name());
        ObjectNode data = n.putObject("data");
        r.getData().ifPresent(d -> d.forEach((k, v) -> data.put(k, String.valueOf(v))));
      } catch (RuntimeException e) {
        n.put("name", check.getClass().getSimpleName()).put("status", "DOWN")
            .putObject("data").put("reason", String.valueOf(e.getMessage()));
      }
    }
    return out;
  }
}
