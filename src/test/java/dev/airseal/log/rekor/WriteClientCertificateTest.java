package dev.airseal.log.rekor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airseal.testing.TestEntries;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/** With a client certificate required on writes, reads stay open over TLS and writes need one. */
@QuarkusTest
@TestProfile(WriteClientCertificateTest.Mtls.class)
class WriteClientCertificateTest {
  static final Path DIR;
  static final KeyPair CA = TestEntries.p256();
  static final X509Certificate CA_CERT;
  static final KeyPair CLIENT = TestEntries.p256();
  static final X509Certificate CLIENT_CERT;

  static {
    try {
      DIR = Files.createTempDirectory("airseal-mtls");
      CA_CERT = cert("CN=test CA", CA, "CN=test CA", CA, true, null);
      KeyPair server = TestEntries.p256();
      X509Certificate serverCert = cert("CN=localhost", server, "CN=test CA", CA, false, "127.0.0.1");
      CLIENT_CERT = cert("CN=release pipeline", CLIENT, "CN=test CA", CA, false, null);
      Files.writeString(DIR.resolve("ca.pem"), pem(CA_CERT));
      Files.writeString(DIR.resolve("server.pem"), pem(serverCert));
      Files.writeString(DIR.resolve("server.key"), pem(server.getPrivate()));
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  public static class Mtls implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "airseal.api.write-client-certificate", "true",
          "quarkus.tls.key-store.pem.a.cert", DIR.resolve("server.pem").toString(),
          "quarkus.tls.key-store.pem.a.key", DIR.resolve("server.key").toString(),
          "quarkus.tls.trust-store.pem.certs", DIR.resolve("ca.pem").toString(),
          "quarkus.http.ssl.client-auth", "request",
          "quarkus.http.insecure-requests", "enabled",
          "quarkus.http.test-ssl-port", "0");
    }
  }

  @TestHTTPResource(value = "/", tls = true)
  URL https;

  @Test
  void writes_needAVerifiedClientCertificate_readsDoNot() throws Exception {
    HttpClient anonymous = HttpClient.newBuilder().sslContext(ssl(false)).build();
    HttpClient pipeline = HttpClient.newBuilder().sslContext(ssl(true)).build();
    assertThat(send(anonymous, "GET", "api/v1/log", null).statusCode()).isEqualTo(200);
    String entry = TestEntries.hashedRekord(CLIENT, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> refused = send(anonymous, "POST", "api/v1/log/entries", entry);
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.body()).contains("client certificate");
    assertThat(send(pipeline, "POST", "api/v1/log/entries", entry).statusCode()).isEqualTo(201);
  }

  private HttpResponse<String> send(HttpClient c, String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(https.toString() + path));
    b = body == null ? b.GET() : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    return c.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static SSLContext ssl(boolean withClientCert) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", CA_CERT);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    if (withClientCert) {
      keys.setKeyEntry("client", CLIENT.getPrivate(), "x".toCharArray(), new X509Certificate[] {CLIENT_CERT, CA_CERT});
    }
    kmf.init(keys, "x".toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ctx;
  }

  private static X509Certificate cert(String subject, KeyPair subjectKey, String issuer, KeyPair issuerKey, boolean ca, String ip)
      throws Exception {
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
        new X500Name(issuer), BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minusSeconds(60)),
        Date.from(now.plusSeconds(86400)), new X500Name(subject), subjectKey.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
    if (ip != null) {
      b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
          new GeneralName(GeneralName.iPAddress, ip), new GeneralName(GeneralName.dNSName, "localhost")}));
    }
    return new JcaX509CertificateConverter().getCertificate(
        b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey.getPrivate())));
  }

  private static String pem(Object o) throws Exception {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter p = new JcaPEMWriter(w)) {
      p.writeObject(o instanceof java.security.PrivateKey k
          ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(k, null).generate() : o);
    }
    return w.toString();
  }
}
