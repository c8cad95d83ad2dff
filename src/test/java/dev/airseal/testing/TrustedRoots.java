package dev.airseal.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.log.Rfc6962;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Sigstore trusted roots (protobuf-specs {@code dev.sigstore.trustroot.v1.TrustedRoot}, JSON form)
 * that name one transparency log and, optionally, one RFC 3161 timestamp authority; no CA, no CT
 * log.
 */
public final class TrustedRoots {
  public static final String MEDIA_TYPE = "application/vnd.dev.sigstore.trustedroot+json;version=0.1";
  private static final ObjectMapper JSON = new ObjectMapper();

  private TrustedRoots() {}

  /**
   * A timestamp authority as a trusted root names it: the subject of its root CA, the URL of its
   * RFC 3161 endpoint, its chain as DER certificates (TSA certificate first, root last) and the
   * start of the period its timestamps are trusted for.
   */
  public record Tsa(String organization, String commonName, String uri, List<byte[]> chainDer,
      Instant validFrom) {
    /** The chain from concatenated PEM certificates, as {@code /api/v1/timestamp/certchain} serves it. */
    public static Tsa fromPemChain(String organization, String commonName, String uri, String pem,
        Instant validFrom) {
      List<byte[]> der = new ArrayList<>();
      try (PEMParser p = new PEMParser(new StringReader(pem))) {
        for (Object o = p.readObject(); o != null; o = p.readObject()) {
          der.add(((X509CertificateHolder) o).getEncoded());
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return new Tsa(organization, commonName, uri, der, validFrom);
    }
  }

  /** A root trusting the P-256 log key {@code logKey} at {@code baseUrl} from {@code validFrom}. */
  public static String forLog(PublicKey logKey, String baseUrl, Instant validFrom) {
    return build(logKey, baseUrl, validFrom).toPrettyString();
  }

  /** A root trusting the log as {@link #forLog} does, and timestamps from {@code tsa}. */
  public static String forLog(PublicKey logKey, String baseUrl, Instant validFrom, Tsa tsa) {
    ObjectNode root = build(logKey, baseUrl, validFrom);
    Base64.Encoder b64 = Base64.getEncoder();
    ObjectNode t = ((ArrayNode) root.get("timestampAuthorities")).addObject();
    t.putObject("subject").put("organization", tsa.organization()).put("commonName", tsa.commonName());
    t.put("uri", tsa.uri());
    ArrayNode certs = t.putObject("certChain").putArray("certificates");
    for (byte[] der : tsa.chainDer()) {
      certs.addObject().put("rawBytes", b64.encodeToString(der));
    }
    t.putObject("validFor").put("start", tsa.validFrom().truncatedTo(ChronoUnit.SECONDS).toString());
    return root.toPrettyString();
  }

  private static ObjectNode build(PublicKey logKey, String baseUrl, Instant validFrom) {
    byte[] der = logKey.getEncoded();
    Base64.Encoder b64 = Base64.getEncoder();
    ObjectNode root = JSON.createObjectNode().put("mediaType", MEDIA_TYPE);
    ObjectNode tlog = root.putArray("tlogs").addObject()
        .put("baseUrl", baseUrl)
        .put("hashAlgorithm", "SHA2_256");
    ObjectNode pk = tlog.putObject("publicKey")
        .put("rawBytes", b64.encodeToString(der))
        .put("keyDetails", "PKIX_ECDSA_P256_SHA_256");
    pk.putObject("validFor").put("start", validFrom.truncatedTo(ChronoUnit.SECONDS).toString());
    // Rekor's log ID is the SHA-256 of the log key's DER SubjectPublicKeyInfo.
    tlog.putObject("logId").put("keyId", b64.encodeToString(Rfc6962.sha256(der)));
    root.putArray("certificateAuthorities");
    root.putArray("ctlogs");
    root.putArray("timestampAuthorities");
    return root;
  }

  public static Path write(Path file, PublicKey logKey, String baseUrl, Instant validFrom) {
    try {
      return Files.writeString(file, forLog(logKey, baseUrl, validFrom), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Path write(Path file, PublicKey logKey, String baseUrl, Instant validFrom, Tsa tsa) {
    try {
      return Files.writeString(file, forLog(logKey, baseUrl, validFrom, tsa), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The key in a PEM {@code PUBLIC KEY} block, as {@code /api/v1/log/publicKey} serves it. */
  public static PublicKey parsePem(String pem) {
    try (PEMParser p = new PEMParser(new StringReader(pem))) {
      return new JcaPEMKeyConverter().getPublicKey((SubjectPublicKeyInfo) p.readObject());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
