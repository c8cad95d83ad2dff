package dev.airseal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.trust.CertificateAuthority;
import dev.airseal.trust.CtLog;
import dev.airseal.trust.TlogInstance;
import dev.airseal.trust.TrustedRoot;
import dev.airseal.trust.ValidFor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "trust",
    description = "The site's trust root (trusted_root.json): show, export, extend, audit.",
    subcommands = {
      TrustCommand.Show.class, TrustCommand.Export.class, TrustCommand.History.class,
      TrustCommand.Init.class, TrustCommand.Add.class, TrustCommand.Remove.class,
      TrustCommand.SigningConfig.class, TrustCommand.RotateLogKey.class
    })
public class TrustCommand extends ServiceCommandGroup {
  private static final ObjectMapper JSON = new ObjectMapper();


  @Command(name = "show", description = "Print the trust root readably: keys, windows, what expires when.")
  static class Show implements Callable<Integer> {
    @ParentCommand TrustCommand parent;

    @Option(names = "--version", description = "A past version instead of the current one.")
    Integer version;

    @Override
    public Integer call() {
      try {
        String doc = parent.client().get(version == null ? "api/v1/trust-root" : "api/v1/trust-root/versions/" + version);
        System.out.print(describe(TrustedRoot.parse(doc.getBytes(StandardCharsets.UTF_8)), Instant.now()));
        return 0;
      } catch (Exception e) {
        return fail(e);
      }
    }
  }

  static String describe(TrustedRoot r, Instant now) {
    StringBuilder sb = new StringBuilder(r.mediaType()).append('\n');
    sb.append("Transparency logs:\n");
    for (TlogInstance t : r.tlogs()) {
      sb.append("  ").append(t.baseUrl()).append("  ").append(t.keyDetails())
          .append("  logId ").append(HexFormat.of().formatHex(t.logId()))
          .append("\n    ").append(window(t.validFor(), now)).append('\n');
    }
    sb.append("Certificate authorities:\n");
    for (CertificateAuthority a : r.certificateAuthorities()) {
      sb.append("  ").append(a.subjectCommonName()).append(" (").append(a.uri()).append(")\n    ")
          .append(window(a.validFor(), now)).append("; root expires ").append(a.root().getNotAfter().toInstant()).append('\n');
    }
    sb.append("CT logs:\n");
    for (CtLog c : r.ctlogs()) {
      sb.append("  ").append(c.baseUrl()).append("  logId ").append(HexFormat.of().formatHex(c.logId()))
          .append("\n    ").append(window(c.validFor(), now)).append('\n');
    }
    sb.append("Timestamp authorities:\n");
    for (CertificateAuthority a : r.timestampAuthorities()) {
      sb.append("  ").append(a.subjectCommonName()).append(" (").append(a.uri()).append(")\n    ")
          .append(window(a.validFor(), now)).append("; leaf expires ").append(a.chain().get(0).getNotAfter().toInstant()).append('\n');
    }
    return sb.toString();
  }

  private static String window(ValidFor v, Instant now) {
    String s = "valid from " + v.start() + (v.end() == null ? ", no end" : " to " + v.end());
    if (v.end() != null && v.end().isBefore(now)) {
      return s + " (ended)";
    }
    if (v.end() != null && Duration.between(now, v.end()).toDays() < 30) {
      return s + " (ends within 30 days)";
    }
    return s;
  }

  @Command(name = "export", description = "Write the current trusted_root.json.")
  static class Export implements Callable<Integer> {
    @ParentCommand TrustCommand parent;

    @Option(names = {"-o", "--output"}, description = "File to write (default: standard output).")
    Path output;

    @Override
    public Integer call() {
      try {
        String doc = parent.client().get("api/v1/trust-root");
        TrustedRoot.parse(doc.getBytes(StandardCharsets.UTF_8)); // never export what does not parse
        if (output == null) {
          System.out.print(doc);
        } else {
          Files.writeString(output, doc, StandardCharsets.UTF_8);
        }
        return 0;
      } catch (Exception e) {
        return fail(e);
      }
    }
  }

  @Command(name = "history", description = "Every version: when, who, why.")
  static class History implements Callable<Integer> {
    @ParentCommand TrustCommand parent;

    @Override
    public Integer call() {
      try {
        for (JsonNode v : JSON.readTree(parent.client().get("api/v1/trust-root/history"))) {
          System.out.printf("%4d  %s  %-12s %s%n", v.path("version").asInt(), v.path("createdAt").asText(),
              v.path("actor").asText(), v.path("reason").asText());
        }
        return 0;
      } catch (Exception e) {
        return fail(e);
      }
    }
  }

  @Command(name = "init", description = "Create version 1 from the appliance's keys (if none exists).")
  static class Init implements Callable<Integer> {
    @ParentCommand TrustCommand parent;

    @Override
    public Integer call() {
      try {
        parent.client().post("api/v1/trust-root/init", "{}");
        System.err.println("trust root initialised");
        return 0;
      } catch (Exception e) {
        return fail(e);
      }
    }
  }

  @Command(name = "add", description = "Add the authorities of another trusted_root.json (e.g. public-good, carried in).")
  static class Add implements Callable<Integer> {
    @ParentCommand TrustCommand parent;

    @Option(names = "--file", required = true)
    Path file;

    @Option(names = "--reason", required = true, description = "Why; recorded in the audit log.")
    String reason;

    @Override
    public Integer call() {
      try {
        ObjectNode body = JSON.createObjectNode();
        body.set("trustedRoot", JSON.readTree(Files.readAllBytes(file)));
        body.put("reason", reason);
        parent.client().post("api/v1/trust-root/authorities", body.toString());
        System.err.println("trust root updated");
        return 0;
      } catch (Exception e) {
        return fail(e);
      }
    }
  }

  @Command(name = "remove", description = "Remove a log (by log ID) or a CA/TSA (by SHA-256 of its root certificate).")
  static class Remove implements Callable<Integer> {
    @ParentCommand TrustCommand parent;

    @Option(names = "--kind", required = true, description = "tlog, ctlog, ca or tsa")
    String kind;

    @Option(names = "--id", required = true, description = "hex or base64 ID")
    String id;

    @Option(names = "--reason", required = true)
    String reason;

    @Override
    public Integer call() {
      try {
        ObjectNode body = JSON.createObjectNode().put("kind", kind).put("id", id).put("reason", reason);
        parent.client().post("api/v1/trust-root/remove", body.toString());
        System.err.println("trust root updated");
        return 0;
      } catch (Exception e) {
        return fail(e);
      }
    }
  }

  @Command(
      name = "rotate-log-key",
      description = "Sign the log with a new key from now on; the old key's window ends, its entries stay verifiable.")
  static class RotateLogKey implements Callable<Integer> {
    @ParentCommand TrustCommand parent;

    @Option(names = "--reason", required = true, description = "Why; recorded in the audit log.")
    String reason;

    @Option(
        names = "--key",
        description = "The new key (pkcs11:..., awskms://..., a PEM file) as the service opens it;"
            + " default: a new software key under the service's data directory.")
    String key;

    @Override
    public Integer call() {
      try {
        ObjectNode body = JSON.createObjectNode().put("reason", reason);
        if (key != null) {
          body.put("key", key);
        }
        TrustedRoot r = TrustedRoot.parse(
            parent.client().post("api/v1/trust-root/rotate-log-key", body.toString()).getBytes(StandardCharsets.UTF_8));
        TlogInstance fresh = r.tlogs().stream().filter(t -> t.validFor().end() == null)
            .max(java.util.Comparator.comparing(t -> t.validFor().start())).orElseThrow();
        System.err.println("log key rotated: log ID " + HexFormat.of().formatHex(fresh.logId())
            + " signs from " + fresh.validFor().start()
            + (key == null ? "" : "; set airseal.log.key=" + key + " before the next restart"));
        return 0;
      } catch (Exception e) {
        return fail(e);
      }
    }
  }

  @Command(name = "signing-config", description = "Print the SigningConfig v0.2 naming this site's log.")
  static class SigningConfig implements Callable<Integer> {
    @ParentCommand TrustCommand parent;

    @Override
    public Integer call() {
      try {
        System.out.println(JSON.readTree(parent.client().get("api/v1/signing-config")).toPrettyString());
        return 0;
      } catch (Exception e) {
        return fail(e);
      }
    }
  }

  static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }
}
