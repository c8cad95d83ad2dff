package dev.airseal.testing;

import dev.airseal.log.Hex;
import dev.airseal.log.Rfc6962;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/** Proposed Rekor entries signed with keys made in the test. */
public final class TestEntries {
  private TestEntries() {}

  public static KeyPair p256() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static String publicKeyPem(KeyPair k) {
    try {
      StringWriter sw = new StringWriter();
      try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
        w.writeObject(k.getPublic());
      }
      return sw.toString();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static byte[] sign(KeyPair k, byte[] data) {
    try {
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(k.getPrivate());
      s.update(data);
      return s.sign();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A hashedrekord 0.0.1 proposal for {@code artifact} signed by {@code k}. */
  public static String hashedRekord(KeyPair k, byte[] artifact) {
    return hashedRekord(k, artifact, sign(k, artifact));
  }

  public static String hashedRekord(KeyPair k, byte[] artifact, byte[] signature) {
    String digest = Hex.encode(Rfc6962.sha256(artifact));
    String pem = Base64.getEncoder().encodeToString(publicKeyPem(k).getBytes(StandardCharsets.US_ASCII));
    return "{\"apiVersion\":\"0.0.1\",\"kind\":\"hashedrekord\",\"spec\":{\"data\":{\"hash\":"
        + "{\"algorithm\":\"sha256\",\"value\":\"" + digest + "\"}},\"signature\":{\"content\":\""
        + Base64.getEncoder().encodeToString(signature) + "\",\"publicKey\":{\"content\":\""
        + pem + "\"}}}}";
  }
}
