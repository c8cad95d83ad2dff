package dev.airseal.admission;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The webhook's TLS material: a CA (whose certificate is the {@code caBundle} of the webhook
 * configurations) and a server certificate under it for the names the API server dials, e.g.
 * {@code airseal.airseal.svc} or an IP address. The API server verifies the server certificate's
 * SAN against the host of the webhook URL or {@code <service>.<namespace>.svc}.
 */
public final class WebhookTls {
  public static final String CA_CERT = "ca.crt";
  public static final String CA_KEY = "ca.key";
  public static final String SERVER_CERT = "server.crt";
  public static final String SERVER_KEY = "server.key";
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private WebhookTls() {}

  /** What {@link #create} wrote. */
  public record Files4(Path caCert, Path caKey, Path serverCert, Path serverKey) {}

  /**
   * Writes a new CA and a server certificate for {@code names} (DNS names or IP addresses) into
   * {@code dir}; private keys are written readable by their owner only. Existing files are refused:
   * replacing a CA silently would break every cluster that pinned it.
   */
  public static Files4 create(Path dir, List<String> names, Duration validity) throws IOException {
    if (names.isEmpty()) {
      throw new IllegalArgumentException("the server certificate needs at least one DNS name or IP address");
    }
    Files4 f = files(dir);
    for (Path p : List.of(f.caCert(), f.caKey(), f.serverCert(), f.serverKey())) {
      if (Files.exists(p)) {
        throw new IOException(p + " already exists; move it away to make a new pair");
      }
    }
    try {
      SecureRandom rnd = new SecureRandom();
      KeyPair ca = p256(rnd);
      KeyPair server = p256(rnd);
      Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
      Date from = Date.from(now.minus(Duration.ofMinutes(5)));
      Date to = Date.from(now.plus(validity));
      X500Name caName = new X500Name("O=Airseal,CN=Airseal webhook CA");
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509Certificate caCert = new JcaX509CertificateConverter().getCertificate(
          new JcaX509v3CertificateBuilder(caName, serial(rnd), from, to, caName, ca.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
              .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
              .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(ca.getPublic()))
              .build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.getPrivate())));
      List<GeneralName> sans = new ArrayList<>();
      for (String n : names) {
        sans.add(isIp(n) ? new GeneralName(GeneralName.iPAddress, n) : new GeneralName(GeneralName.dNSName, n));
      }
      X509Certificate serverCert = new JcaX509CertificateConverter().getCertificate(
          new JcaX509v3CertificateBuilder(
                  caCert, serial(rnd), from, to, new X500Name("O=Airseal,CN=" + names.get(0)), server.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
              .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
              .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)))
              .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert))
              .build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.getPrivate())));
      Files.createDirectories(dir);
      write(f.caKey(), pem(ca.getPrivate()), true);
      write(f.serverKey(), pem(server.getPrivate()), true);
      write(f.caCert(), pem(caCert), false);
      // The server file holds the chain, so clients that were given only the CA can build the path.
      write(f.serverCert(), pem(serverCert), false);
      return f;
    } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
      throw new IOException("cannot issue the webhook certificates", e);
    }
  }

  public static Files4 files(Path dir) {
    return new Files4(dir.resolve(CA_CERT), dir.resolve(CA_KEY), dir.resolve(SERVER_CERT), dir.resolve(SERVER_KEY));
  }

  /** The names a self-made certificate covers by default: loopback and this host. */
  public static List<String> defaultNames(List<String> extra) {
    List<String> names = new ArrayList<>(extra);
    for (String n : List.of("localhost", "127.0.0.1", hostName())) {
      if (!n.isEmpty() && !names.contains(n)) {
        names.add(n);
      }
    }
    return names;
  }

  static boolean isIp(String n) {
    return IPV4.matcher(n).matches() || n.contains(":");
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "";
    }
  }

  private static KeyPair p256(SecureRandom rnd) throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), rnd);
    return g.generateKeyPair();
  }

  private static BigInteger serial(SecureRandom rnd) {
    return new BigInteger(128, rnd).setBit(127);
  }

  static String pem(Object o) throws IOException {
    StringWriter sw = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
      w.writeObject(o instanceof java.security.PrivateKey k
          ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(k, null).generate() : o);
    }
    return sw.toString();
  }

  // Written to a temporary file (0600 for keys) and moved into place, so a crash never leaves a
  // half-written key or a key readable by others.
  private static void write(Path p, String content, boolean secret) throws IOException {
    Path tmp = p.resolveSibling(p.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    if (secret) {
      try {
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        Files.createFile(tmp);
      }
    }
    Files.writeString(tmp, content, StandardCharsets.US_ASCII);
    try {
      Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, p);
    }
  }
}
