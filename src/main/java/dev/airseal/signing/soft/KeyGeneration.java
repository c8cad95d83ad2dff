package dev.airseal.signing.soft;

import dev.airseal.signing.SignatureAlgorithm;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;

/** Fresh software key pairs for each signature scheme. */
public final class KeyGeneration {
  private KeyGeneration() {}

  public static KeyPair generate(SignatureAlgorithm algorithm) {
    try {
      KeyPairGenerator g;
      if (algorithm.isEcdsa()) {
        g = KeyPairGenerator.getInstance("EC", SoftwareSigner.BC);
        String curve = switch (algorithm) {
          case PKIX_ECDSA_P384_SHA_384 -> "secp384r1";
          case PKIX_ECDSA_P521_SHA_512 -> "secp521r1";
          default -> "secp256r1";
        };
        g.initialize(new ECGenParameterSpec(curve), new SecureRandom());
      } else if (algorithm.isRsa()) {
        g = KeyPairGenerator.getInstance("RSA", SoftwareSigner.BC);
        int bits = 0;
        for (String part : algorithm.name().split("_")) {
          if (part.matches("[0-9]{4}")) {
            bits = Integer.parseInt(part);
          }
        }
        g.initialize(bits, new SecureRandom());
      } else {
        g = KeyPairGenerator.getInstance("Ed25519", SoftwareSigner.BC);
      }
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate a " + algorithm + " key", e);
    }
  }
}
