package dev.airseal.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.Base64;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Sigstore trusted roots (protobuf-specs {@code dev.sigstore.trustroot.v1.TrustedRoot}, JSON form)
 * that name one transparency log and nothing else: no CA, no CT log, no TSA.
 */
public final class TrustedRoots {
  public static final String MEDIA_TYPE = "application/vnd.dev.sigstore.trustedroot+json;version=0.1";
  private static final ObjectMapper JSON = new ObjectMapper();

  private TrustedRoots() {}

  /** A root trusting the P-256 log key {@code logKey} at {@code baseUrl} from {@code validFrom}. */
  public static String forLog(PublicKey logKey, String baseUrl, Instant validFrom) {
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
    return root.toPrettyString();
  }

  public static Path write(Path file, PublicKey logKey, String baseUrl, Instant validFrom) {
    try {
      return Files.writeString(file, forLog(logKey, baseUrl, validFrom), StandardCharsets.UTF_8);
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
