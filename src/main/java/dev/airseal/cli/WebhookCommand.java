package dev.airseal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.airseal.admission.WebhookManifests;
import dev.airseal.admission.WebhookTls;
import dev.airseal.policy.KyvernoPolicies;
import dev.airseal.policy.PolicyDocument;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "webhook",
    description = "The admission webhook: TLS material and Kubernetes manifests.",
    subcommands = {WebhookCommand.Tls.class, WebhookCommand.Manifests.class})
public class WebhookCommand {

  @Command(name = "tls", description = "Webhook TLS material.", subcommands = {WebhookCommand.TlsInit.class})
  static class Tls {}

  @Command(
      name = "init",
      description = {
        "Make a CA and a server certificate for the webhook in --dir (ca.crt, ca.key, server.crt, server.key).",
        "--name is the DNS name or IP the API server dials: <service>.<namespace>.svc in the cluster,",
        "or the host of the external URL. Existing files are never overwritten."
      })
  static class TlsInit implements Callable<Integer> {
    @Option(names = "--dir", required = true, description = "Directory to write into (created if missing).")
    Path dir;

    @Option(names = "--name", required = true, description = "DNS name or IP address, repeatable.")
    List<String> names;

    @Option(names = "--validity", defaultValue = "P825D", description = "Certificate lifetime (default: ${DEFAULT-VALUE}).")
    Duration validity;

    @Override
    public Integer call() throws Exception {
      WebhookTls.Files4 f = WebhookTls.create(dir, names, validity);
      System.out.println("CA certificate:     " + f.caCert());
      System.out.println("server certificate: " + f.serverCert() + " (" + String.join(", ", names) + ")");
      System.out.println("server key:         " + f.serverKey());
      System.out.println("Serve it with quarkus.http.ssl.certificate.files=" + f.serverCert()
          + " and quarkus.http.ssl.certificate.key-files=" + f.serverKey());
      System.out.println("caBundle: " + java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(f.caCert())));
      return 0;
    }
  }

  @Command(
      name = "manifests",
      description = {
        "Print Validating- and MutatingWebhookConfiguration YAML (caBundle filled, failurePolicy: Fail,",
        "sideEffects: None, timeoutSeconds from the policies, kube-system and the appliance's namespace",
        "excluded) and, without --url, the appliance in the cluster: Namespace, Secret (TLS), ConfigMap",
        "(policies), Deployment, Service. With --url the webhooks call an appliance outside the cluster."
      })
  static class Manifests implements Callable<Integer> {
    @Option(names = "--tls-dir", required = true, description = "Directory made by 'webhook tls init' (or <data-dir>/tls).")
    Path tlsDir;

    @Option(names = "--url", description = "External appliance, e.g. https://airseal.site:8443 (no in-cluster manifests).")
    String url;

    @Option(names = "--namespace", defaultValue = "airseal", description = "Namespace of the appliance (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = "--name", defaultValue = "airseal", description = "Name of the Service and webhooks (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--image", defaultValue = "registry.site/airseal:latest", description = "Appliance image for the Deployment (default: ${DEFAULT-VALUE}).")
    String image;

    @Option(names = "--policy", description = "Policy file or directory, repeatable: validated, put in the ConfigMap, and the largest webhookTimeoutSeconds used.")
    List<Path> policies = new ArrayList<>();

    @Option(names = "--timeout-seconds", description = "Override the webhooks' timeoutSeconds (1..30; default: from the policies, else 10).")
    Integer timeoutSeconds;

    @Override
    public Integer call() throws Exception {
      Map<String, String> docs = new LinkedHashMap<>();
      for (Path p : policies) {
        List<Path> files;
        if (Files.isDirectory(p)) {
          try (Stream<Path> s = Files.list(p)) {
            files = s.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList();
          }
        } else {
          files = List.of(p);
        }
        for (Path f : files) {
          docs.put(f.getFileName().toString(), Files.readString(f));
        }
      }
      // Refuse to ship a policy set the appliance would refuse to load.
      KyvernoPolicies.load(docs.entrySet().stream().map(e -> new PolicyDocument(e.getKey(), "file", e.getValue())).toList());
      int timeout = timeoutSeconds != null ? timeoutSeconds : timeoutOf(docs.values());
      Optional<WebhookManifests.Tls> tls = Optional.empty();
      if (url == null) {
        tls = Optional.of(new WebhookManifests.Tls(
            Files.readString(tlsDir.resolve(WebhookTls.SERVER_CERT)), Files.readString(tlsDir.resolve(WebhookTls.SERVER_KEY))));
      }
      System.out.print(WebhookManifests.render(new WebhookManifests.Options(
          namespace, name, Files.readString(tlsDir.resolve(WebhookTls.CA_CERT)), timeout, Optional.ofNullable(url), image,
          tls, docs)));
      return 0;
    }

    // Kyverno's default is 10 s; the API server allows 1..30.
    static int timeoutOf(Iterable<String> docs) throws Exception {
      ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
      int max = 0;
      for (String d : docs) {
        try (MappingIterator<JsonNode> it = yaml.readerFor(JsonNode.class).readValues(d)) {
          while (it.hasNextValue()) {
            JsonNode n = it.nextValue();
            if (n != null) {
              max = Math.max(max, n.path("spec").path("webhookTimeoutSeconds").asInt(10));
            }
          }
        }
      }
      return Math.min(30, max == 0 ? 10 : max);
    }
  }
}
