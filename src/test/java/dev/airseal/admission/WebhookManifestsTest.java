package dev.airseal.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhookManifestsTest {
  @TempDir Path dir;

  private static List<JsonNode> docs(String yaml) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    try (MappingIterator<JsonNode> it = new ObjectMapper(new YAMLFactory()).readerFor(JsonNode.class).readValues(yaml)) {
      while (it.hasNextValue()) {
        out.add(it.nextValue());
      }
    }
    return out;
  }

  @Test
  void tlsInit_issuesAServerCertificateForTheServiceName_underANewCa_andRefusesToOverwrite() throws Exception {
    WebhookTls.Files4 f = WebhookTls.create(dir, List.of("airseal.airseal.svc", "10.0.0.7"), Duration.ofDays(30));
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    X509Certificate ca = (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(Files.readAllBytes(f.caCert())));
    X509Certificate server = (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(Files.readAllBytes(f.serverCert())));
    server.verify(ca.getPublicKey());
    assertThat(ca.getBasicConstraints()).isZero();
    assertThat(server.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    assertThat(server.getSubjectAlternativeNames()).extracting(l -> String.valueOf(l.get(1))).containsExactly("airseal.airseal.svc", "10.0.0.7");
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(f.serverKey()))).isEqualTo("rw-------");
    assertThatThrownBy(() -> WebhookTls.create(dir, List.of("x"), Duration.ofDays(1))).hasMessageContaining("already exists");
  }

  @Test
  void manifests_inCluster_holdTheApplianceAndFailClosedWebhooksExcludingSystemNamespaces() throws Exception {
    WebhookTls.Files4 f = WebhookTls.create(dir, List.of("airseal.airseal.svc"), Duration.ofDays(30));
    String ca = Files.readString(f.caCert());
    String yaml = WebhookManifests.render(new WebhookManifests.Options("airseal", "airseal", ca, 15, Optional.empty(),
        "registry.site/airseal:1", Optional.of(new WebhookManifests.Tls(Files.readString(f.serverCert()),
        Files.readString(f.serverKey()))), Map.of("p.yaml", "kind: ClusterPolicy\n")));
    List<JsonNode> docs = docs(yaml);
    assertThat(docs).extracting(d -> d.path("kind").asText()).containsExactly("Namespace", "Secret", "ConfigMap",
        "Deployment", "Service", "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration");
    for (JsonNode c : docs.subList(5, 7)) {
      JsonNode w = c.path("webhooks").get(0);
      assertThat(w.path("failurePolicy").asText()).isEqualTo("Fail");
      assertThat(w.path("sideEffects").asText()).isEqualTo("None");
      assertThat(w.path("timeoutSeconds").asInt()).isEqualTo(15);
      assertThat(w.path("admissionReviewVersions").toString()).isEqualTo("[\"v1\"]");
      assertThat(new String(Base64.getDecoder().decode(w.path("clientConfig").path("caBundle").asText()))).isEqualTo(ca);
      assertThat(w.path("clientConfig").path("service").path("name").asText()).isEqualTo("airseal");
      assertThat(w.path("namespaceSelector").path("matchExpressions").get(0).path("values").toString())
          .isEqualTo("[\"kube-system\",\"airseal\"]");
      assertThat(w.path("rules").toString()).contains("pods", "deployments", "cronjobs", "replicationcontrollers");
    }
    assertThat(docs.get(1).path("data").path("tls.key").asText()).isNotEmpty();
    assertThat(docs.get(2).path("data").path("p.yaml").asText()).isEqualTo("kind: ClusterPolicy\n");
  }

  @Test
  void manifests_external_pointTheWebhooksAtTheUrl_only() throws Exception {
    WebhookTls.Files4 f = WebhookTls.create(dir, List.of("airseal.site"), Duration.ofDays(30));
    List<JsonNode> docs = docs(WebhookManifests.render(new WebhookManifests.Options("airseal", "airseal",
        Files.readString(f.caCert()), 10, Optional.of("https://airseal.site:8443/"), "unused", Optional.empty(), Map.of())));
    assertThat(docs).hasSize(2);
    assertThat(docs.get(0).path("webhooks").get(0).path("clientConfig").path("url").asText())
        .isEqualTo("https://airseal.site:8443/validate");
    assertThat(docs.get(1).path("webhooks").get(0).path("clientConfig").path("url").asText())
        .isEqualTo("https://airseal.site:8443/mutate");
    assertThatThrownBy(() -> WebhookManifests.render(new WebhookManifests.Options("a", "a", "", 31, Optional.of("https://x"),
        "", Optional.empty(), Map.of()))).hasMessageContaining("1..30");
  }
}
