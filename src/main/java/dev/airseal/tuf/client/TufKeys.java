package dev.airseal.tuf.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The TUF key types Sigstore's roots use, as securesystemslib writes them: {@code ed25519} (hex
 * raw key), {@code ecdsa}/{@code ecdsa-sha2-nistp256}/{@code -nistp384} and {@code rsa} (PEM
 * SubjectPublicKeyInfo). Signatures are hex: raw for Ed25519, DER for ECDSA, PSS or PKCS#1 v1.5 for RSA.
 */
final class TufKeys {
  /** A key of a root's {@code keys} map that can verify signatures. */
  record Key(String keyId, String scheme, PublicKey publicKey) {}

  // SubjectPublicKeyInfo prefix of an Ed25519 key (RFC 8410): the 32 raw bytes follow.
  private static final byte[] ED25519_SPKI = HexFormat.of().parseHex("302a300506032b6570032100");

  private TufKeys() {}

  /** The key, or empty with {@code why} filled when its type or scheme is not one we verify. */
  static Optional<Key> parse(String keyId, JsonNode k, StringBuilder why) {
    String type = k.path("keytype").asText("");
    String scheme = k.path("scheme").asText("");
    String pub = k.path("keyval").path("public").asText("");
    try {
      switch (type) {
        case "ed25519" -> {
          if (!scheme.equals("ed25519")) {
            break;
          }
          byte[] raw = HexFormat.of().parseHex(pub);
          if (raw.length != 32) {
            why.append("key ").append(keyId).append(": an ed25519 key is 32 bytes, not ").append(raw.length);
            return Optional.empty();
          }
          byte[] spki = new byte[ED25519_SPKI.length + 32];
          System.arraycopy(ED25519_SPKI, 0, spki, 0, ED25519_SPKI.length);
          System.arraycopy(raw, 0, spki, ED25519_SPKI.length, 32);
          return Optional.of(new Key(keyId, scheme,
              KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki))));
        }
        case "ecdsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384" -> {
          if (!scheme.equals("ecdsa-sha2-nistp256") && !scheme.equals("ecdsa-sha2-nistp384")) {
            break;
          }
          return Optional.of(new Key(keyId, scheme, KeyFactory.getInstance("EC").generatePublic(pem(pub))));
        }
        case "rsa" -> {
          if (!scheme.equals("rsassa-pss-sha256") && !scheme.equals("rsa-pkcs1v15-sha256")) {
            break;
          }
          return Optional.of(new Key(keyId, scheme, KeyFactory.getInstance("RSA").generatePublic(pem(pub))));
        }
        default -> {
          why.append("key ").append(keyId).append(" has key type \"").append(type)
              .append("\", not one of ed25519, ecdsa, rsa");
          return Optional.empty();
        }
      }
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      why.append("key ").append(keyId).append(" (").append(type).append(") does not parse: ").append(e.getMessage());
      return Optional.empty();
    }
    why.append("key ").append(keyId).append(" has scheme \"").append(scheme).append("\", unknown for key type ")
        .append(type);
    return Optional.empty();
  }

  static boolean verify(Key k, byte[] message, byte[] sig) {
    try {
      return switch (k.scheme()) {
        case "ed25519" -> check("Ed25519", null, k, message, sig);
        case "ecdsa-sha2-nistp256" -> check("SHA256withECDSA", null, k, message, sig);
        case "ecdsa-sha2-nistp384" -> check("SHA384withECDSA", null, k, message, sig);
        case "rsa-pkcs1v15-sha256" -> check("SHA256withRSA", null, k, message, sig);
        // securesystemslib signs with the salt as long as the digest and verifies any length;
        // the JDK needs it named, so the two lengths signers have used are tried.
        case "rsassa-pss-sha256" -> check("RSASSA-PSS", pss(32), k, message, sig)
            || check("RSASSA-PSS", pss(maxSalt(k)), k, message, sig);
        default -> false;
      };
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static PSSParameterSpec pss(int salt) {
    return new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, salt, 1);
  }

  private static int maxSalt(Key k) {
    int bits = ((java.security.interfaces.RSAPublicKey) k.publicKey()).getModulus().bitLength();
    return (bits - 1 + 7) / 8 - 32 - 2;
  }

  private static boolean check(String alg, PSSParameterSpec params, Key k, byte[] message, byte[] sig)
      throws GeneralSecurityException {
    Signature s = Signature.getInstance(alg);
    if (params != null) {
      s.setParameter(params);
    }
    s.initVerify(k.publicKey());
    s.update(message);
    try {
      return s.verify(sig);
    } catch (java.security.SignatureException e) {
      return false;
    }
  }

  private static X509EncodedKeySpec pem(String pem) {
    String b64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
    if (b64.isEmpty() || !pem.contains("BEGIN PUBLIC KEY")) {
      throw new IllegalArgumentException("keyval.public is not a PEM public key");
    }
    return new X509EncodedKeySpec(Base64.getDecoder().decode(b64));
  }
}
