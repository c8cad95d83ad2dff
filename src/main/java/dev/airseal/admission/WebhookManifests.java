package dev.airseal.admission;

import dev.airseal.config.ShippedJvmOptions;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Kubernetes manifests for the webhook: the Validating- and MutatingWebhookConfiguration (caBundle
 * filled, {@code failurePolicy: Fail}, {@code sideEffects: None}, the policies' timeout, kube-system
 * and the appliance's own namespace excluded), and either the appliance in the cluster (Namespace,
 * Secret with the TLS pair, ConfigMap with the policies, Deployment, Service) or a URL outside it.
 */
public final class WebhookManifests {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE));
  static final int HTTPS_PORT = 8443;

  /**
   * @param url the appliance outside the cluster ({@code https://host:port}); empty: in-cluster
   * @param tls the in-cluster server certificate and key PEMs (for the Secret)
   */
  public record Options(
      String namespace, String name, String caPem, int timeoutSeconds, Optional<String> url, String image,
      Optional<Tls> tls, Map<String, String> policies) {}

  public record Tls(String certificatePem, String keyPem) {}

  private WebhookManifests() {}

  public static String render(Options o) throws IOException {
    if (o.timeoutSeconds() < 1 || o.timeoutSeconds() > 30) {
      throw new IllegalArgumentException("timeoutSeconds must be 1..30 (the API server's limit), got " + o.timeoutSeconds());
    }
    List<ObjectNode> docs = new ArrayList<>();
    if (o.url().isEmpty()) {
      docs.addAll(inCluster(o));
    }
    docs.add(configuration(o, "ValidatingWebhookConfiguration", "validate"));
    docs.add(configuration(o, "MutatingWebhookConfiguration", "mutate"));
    StringBuilder sb = new StringBuilder();
    for (ObjectNode d : docs) {
      sb.append("---\n").append(YAML.writeValueAsString(d));
    }
    return sb.toString();
  }

  private static ObjectNode configuration(Options o, String kind, String path) {
    ObjectNode c = YAML.createObjectNode();
    c.put("apiVersion", "admissionregistration.k8s.io/v1");
    c.put("kind", kind);
    c.putObject("metadata").put("name", o.name() + "-" + path);
    ObjectNode w = c.putArray("webhooks").addObject();
    w.put("name", path + "." + o.name() + ".airseal.dev");
    w.putArray("admissionReviewVersions").add("v1");
    ObjectNode cc = w.putObject("clientConfig");
    if (o.url().isPresent()) {
      cc.put("url", o.url().get().replaceAll("/+$", "") + "/" + path);
    } else {
      cc.putObject("service").put("namespace", o.namespace()).put("name", o.name()).put("path", "/" + path)
          .put("port", 443);
    }
    cc.put("caBundle", Base64.getEncoder().encodeToString(o.caPem().getBytes(StandardCharsets.US_ASCII)));
    // Fail closed: when the appliance cannot answer, nothing unverified is admitted.
    w.put("failurePolicy", "Fail");
    w.put("sideEffects", "None");
    w.put("timeoutSeconds", o.timeoutSeconds());
    w.put("matchPolicy", "Equivalent");
    if (kind.startsWith("Mutating")) {
      w.put("reinvocationPolicy", "IfNeeded");
    }
    // The appliance must never need itself to start, nor gate the control plane.
    ObjectNode expr = w.putObject("namespaceSelector").putArray("matchExpressions").addObject();
    expr.put("key", AdmissionController.NAMESPACE_NAME_LABEL).put("operator", "NotIn");
    expr.putArray("values").add("kube-system").add(o.namespace());
    ArrayNode rules = w.putArray("rules");
    rule(rules, "", List.of("pods", "pods/ephemeralcontainers", "replicationcontrollers"));
    rule(rules, "apps", List.of("deployments", "replicasets", "statefulsets", "daemonsets"));
    rule(rules, "batch", List.of("jobs", "cronjobs"));
    return c;
  }

  private static void rule(ArrayNode rules, String group, List<String> resources) {
    ObjectNode r = rules.addObject();
    r.putArray("apiGroups").add(group);
    r.putArray("apiVersions").add("*");
    r.putArray("operations").add("CREATE").add("UPDATE");
    ArrayNode res = r.putArray("resources");
    resources.forEach(res::add);
    r.put("scope", "Namespaced");
  }

  private static List<ObjectNode> inCluster(Options o) {
    List<ObjectNode> out = new ArrayList<>();
    ObjectNode ns = meta(YAML.createObjectNode(), "v1", "Namespace", o.name(), null);
    ns.with("metadata").putObject("labels").put(AdmissionController.NAMESPACE_NAME_LABEL, o.namespace());
    ((ObjectNode) ns.path("metadata")).put("name", o.namespace());
    out.add(ns);
    Tls tls = o.tls().orElseThrow(() -> new IllegalArgumentException("in-cluster manifests need the server certificate and key"));
    ObjectNode secret = meta(YAML.createObjectNode(), "v1", "Secret", o.name() + "-tls", o.namespace());
    secret.put("type", "kubernetes.io/tls");
    secret.putObject("data")
        .put("tls.crt", Base64.getEncoder().encodeToString(tls.certificatePem().getBytes(StandardCharsets.US_ASCII)))
        .put("tls.key", Base64.getEncoder().encodeToString(tls.keyPem().getBytes(StandardCharsets.US_ASCII)));
    out.add(secret);
    ObjectNode cm = meta(YAML.createObjectNode(), "v1", "ConfigMap", o.name() + "-policies", o.namespace());
    ObjectNode data = cm.putObject("data");
    new java.util.TreeMap<>(o.policies()).forEach(data::put);
    out.add(cm);
    out.add(deployment(o));
    ObjectNode svc = meta(YAML.createObjectNode(), "v1", "Service", o.name(), o.namespace());
    ObjectNode spec = svc.putObject("spec");
    spec.putObject("selector").put("app.kubernetes.io/name", o.name());
    spec.putArray("ports").addObject().put("name", "webhook").put("port", 443).put("targetPort", HTTPS_PORT);
    out.add(svc);
    return out;
  }

  private static ObjectNode deployment(Options o) {
    ObjectNode d = meta(YAML.createObjectNode(), "apps/v1", "Deployment", o.name(), o.namespace());
    ObjectNode spec = d.putObject("spec");
    spec.put("replicas", 1);
    spec.putObject("selector").putObject("matchLabels").put("app.kubernetes.io/name", o.name());
    ObjectNode tpl = spec.putObject("template");
    tpl.putObject("metadata").putObject("labels").put("app.kubernetes.io/name", o.name());
    ObjectNode ps = tpl.putObject("spec");
    ObjectNode c = ps.putArray("containers").addObject();
    c.put("name", "airseal");
    c.put("image", o.image());
    c.putArray("args").add("serve");
    Map<String, String> env = new LinkedHashMap<>();
    env.put("QUARKUS_HTTP_HOST", "0.0.0.0");
    env.put("QUARKUS_HTTP_SSL_PORT", Integer.toString(HTTPS_PORT));
    env.put("QUARKUS_HTTP_SSL_CERTIFICATE_FILES", "/etc/airseal/tls/tls.crt");
    env.put("QUARKUS_HTTP_SSL_CERTIFICATE_KEY_FILES", "/etc/airseal/tls/tls.key");
    env.put("AIRSEAL_DATA_DIR", "/var/lib/airseal");
    env.put("AIRSEAL_POLICY_DIR", "/etc/airseal/policies");
    // The image's entrypoint is the operator's; the JVM reads these whatever it is.
    env.put("JAVA_TOOL_OPTIONS", String.join(" ", ShippedJvmOptions.OPTIONS));
    ArrayNode e = c.putArray("env");
    env.forEach((k, v) -> e.addObject().put("name", k).put("value", v));
    c.putArray("ports").addObject().put("name", "webhook").put("containerPort", HTTPS_PORT);
    ObjectNode probe = c.putObject("readinessProbe").putObject("httpGet");
    probe.put("path", "/q/health/ready").put("port", 8080);
    ArrayNode mounts = c.putArray("volumeMounts");
    mounts.addObject().put("name", "tls").put("mountPath", "/etc/airseal/tls").put("readOnly", true);
    mounts.addObject().put("name", "policies").put("mountPath", "/etc/airseal/policies").put("readOnly", true);
    mounts.addObject().put("name", "data").put("mountPath", "/var/lib/airseal");
    ArrayNode vols = ps.putArray("volumes");
    vols.addObject().put("name", "tls").putObject("secret").put("secretName", o.name() + "-tls");
    vols.addObject().put("name", "policies").putObject("configMap").put("name", o.name() + "-policies");
    vols.addObject().put("name", "data").putObject("emptyDir");
    return d;
  }

  private static ObjectNode meta(ObjectNode n, String apiVersion, String kind, String name, String namespace) {
    n.put("apiVersion", apiVersion);
    n.put("kind", kind);
    ObjectNode m = n.putObject("metadata");
    m.put("name", name);
    if (namespace != null) {
      m.put("namespace", namespace);
    }
    return n;
  }
}
