package dev.airseal.signing.soft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airseal.signing.SignatureAlgorithm;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * ECDSA signatures made from a JDK digest must be what SHA*withECDSA verifiers accept, on every
 * curve (P-521 with SHA-512 is the case where the digest is shorter than the order).
 */
class SoftwareSignerTest {

  @ParameterizedTest
  @CsvSource({
    "secp256r1, SHA256withECDSA, PKIX_ECDSA_P256_SHA_256",
    "secp384r1, SHA384withECDSA, PKIX_ECDSA_P384_SHA_384",
    "secp521r1, SHA512withECDSA, PKIX_ECDSA_P521_SHA_512"
  })
  void ecdsa_verifiesAsTheHashedScheme(String curve, String scheme, SignatureAlgorithm expected)
      throws Exception {
    for (String provider : new String[] {"SunEC", "BC"}) {
      KeyPairGenerator g =
          provider.equals("BC")
              ? KeyPairGenerator.getInstance("EC", SoftwareSigner.BC)
              : KeyPairGenerator.getInstance("EC", provider);
      g.initialize(new ECGenParameterSpec(curve));
      KeyPair keys = g.generateKeyPair();
      SoftwareSigner signer = new SoftwareSigner(keys);
      assertThat(signer.algorithm()).isEqualTo(expected);
      byte[] message = "{\"body\":\"...\",\"integratedTime\":1}".repeat(50).getBytes(StandardCharsets.UTF_8);
      byte[] sig = signer.sign(message);
      for (String verifierProvider : new String[] {"SunEC", "BC"}) {
        Signature v =
            verifierProvider.equals("BC")
                ? Signature.getInstance(scheme, SoftwareSigner.BC)
                : Signature.getInstance(scheme, verifierProvider);
        v.initVerify(keys.getPublic());
        v.update(message);
        assertThat(v.verify(sig)).as("%s key, %s verifier", provider, verifierProvider).isTrue();
        v.initVerify(keys.getPublic());
        v.update(message, 1, message.length - 1);
        assertThat(v.verify(sig)).as("another message").isFalse();
      }
    }
  }
}
