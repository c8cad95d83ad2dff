package dev.airseal.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import org.bouncycastle.jcajce.provider.asymmetric.ec.BCECPublicKey;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class EcdsaTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  @ParameterizedTest
  @CsvSource({"secp256r1,SHA256withECDSA,SHA-256", "secp256r1,SHA384withECDSA,SHA-384",
      "secp384r1,SHA384withECDSA,SHA-384", "secp384r1,SHA256withECDSA,SHA-256",
      "secp521r1,SHA512withECDSA,SHA-512"})
  void verify_agreesWithTheJcaAlgorithm_forJdkAndBcKeys(String curve, String jca, String hash) throws Exception {
    KeyPair kp = keyPair(curve);
    byte[] message = new byte[1000];
    RANDOM.nextBytes(message);
    byte[] sig = sign(kp, jca, message);
    // The JDK's own key class, as a JDK certificate hands it out, and BouncyCastle's.
    PublicKey jdkKey = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(kp.getPublic().getEncoded()));
    for (PublicKey key : new PublicKey[] {jdkKey, Ecdsa.bcKey(jdkKey), Ecdsa.preparedKey(jdkKey)}) {
      assertThat(Ecdsa.verify(key, hash, message, sig)).as("%s %s", curve, key.getClass()).isTrue();
      byte[] other = message.clone();
      other[0] ^= 1;
      assertThat(Ecdsa.verify(key, hash, other, sig)).isFalse();
      byte[] otherSig = sig.clone();
      otherSig[otherSig.length - 1] ^= 1;
      assertThat(Ecdsa.verify(key, hash, message, otherSig)).isFalse();
    }
  }

  @Test
  void verify_refusesANonDerEncodingOfAGoodSignature() throws Exception {
    KeyPair kp = keyPair("secp256r1");
    byte[] message = "note text\n".getBytes();
    byte[] sig = sign(kp, "SHA256withECDSA", message);
    // BER long-form length for the outer SEQUENCE: the same (r, s), a second encoding.
    byte[] ber = new byte[sig.length + 1];
    ber[0] = 0x30;
    ber[1] = (byte) 0x81;
    ber[2] = sig[1];
    System.arraycopy(sig, 2, ber, 3, sig.length - 2);
    assertThat(Ecdsa.verify(kp.getPublic(), "SHA-256", message, sig)).isTrue();
    assertThat(Ecdsa.verify(kp.getPublic(), "SHA-256", message, ber)).isFalse();
    assertThat(Ecdsa.verify(kp.getPublic(), "SHA-256", message, Arrays.copyOf(sig, sig.length - 1))).isFalse();
    assertThat(Ecdsa.verify(kp.getPublic(), "SHA-256", message, new byte[0])).isFalse();
  }

  @Test
  void verify_isFalseForAKeyThatIsNotEc() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair rsa = g.generateKeyPair();
    byte[] message = "m".getBytes();
    assertThat(Ecdsa.verify(rsa.getPublic(), "SHA-256", message, sign(rsa, "SHA256withRSA", message))).isFalse();
    assertThat(Ecdsa.bcKey(rsa.getPublic())).isSameAs(rsa.getPublic());
    assertThat(Ecdsa.preparedKey(rsa.getPublic())).isSameAs(rsa.getPublic());
    assertThat(Ecdsa.preparedKey(rsa.getPrivate())).isSameAs(rsa.getPrivate());
  }

  @Test
  void bcKey_keepsABouncyCastleKeyAsItIs() throws Exception {
    PublicKey jdkKey = keyPair("secp256r1").getPublic();
    PublicKey bc = Ecdsa.bcKey(jdkKey);
    assertThat(bc).isInstanceOf(BCECPublicKey.class);
    assertThat(Ecdsa.bcKey(bc)).isSameAs(bc);
    assertThat(bc.getEncoded()).isEqualTo(jdkKey.getEncoded());
  }

  @ParameterizedTest
  @CsvSource({"secp256r1,SHA-256", "secp384r1,SHA-384", "secp521r1,SHA-512", "secp256r1,SHA-512"})
  void signDigest_withAPreparedKey_isAnEcdsaSignatureTheJdkAccepts(String curve, String hash) throws Exception {
    KeyPair kp = keyPair(curve);
    PrivateKey prepared = Ecdsa.preparedKey(kp.getPrivate());
    assertThat(Ecdsa.preparedKey(prepared)).isSameAs(prepared);
    byte[] message = "a SET payload".getBytes();
    byte[] sig = Ecdsa.signDigest(prepared, Ecdsa.digest(hash, message));
    // SunEC, a third implementation, over the message rather than the digest.
    Signature jdk = Signature.getInstance(hash.replace("-", "") + "withECDSA", "SunEC");
    jdk.initVerify(kp.getPublic());
    jdk.update(message);
    assertThat(jdk.verify(sig)).isTrue();
  }

  @Test
  void secp256k1_aCurveAwsLcLacks_isVerifiedByBouncyCastle() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC", new BouncyCastleProvider());
    g.initialize(new ECGenParameterSpec("secp256k1"), RANDOM);
    KeyPair kp = g.generateKeyPair();
    byte[] message = "m".getBytes();
    Signature s = Signature.getInstance("SHA256withECDSA", new BouncyCastleProvider());
    s.initSign(kp.getPrivate());
    s.update(message);
    byte[] sig = s.sign();
    assertThat(Ecdsa.verify(kp.getPublic(), "SHA-256", message, sig)).isTrue();
    assertThat(Ecdsa.verify(Ecdsa.preparedKey(kp.getPublic()), "SHA-256", message, sig)).isTrue();
    assertThat(Ecdsa.verify(kp.getPublic(), "SHA-256", "n".getBytes(), sig)).isFalse();
    byte[] signed = Ecdsa.signDigest(Ecdsa.preparedKey(kp.getPrivate()), Ecdsa.digest("SHA-256", message));
    assertThat(Ecdsa.verify(kp.getPublic(), "SHA-256", message, signed)).isTrue();
  }

  private static KeyPair keyPair(String curve) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec(curve), RANDOM);
    return g.generateKeyPair();
  }

  private static byte[] sign(KeyPair kp, String alg, byte[] message) throws Exception {
    Signature s = Signature.getInstance(alg);
    s.initSign(kp.getPrivate());
    s.update(message);
    return s.sign();
  }
}
