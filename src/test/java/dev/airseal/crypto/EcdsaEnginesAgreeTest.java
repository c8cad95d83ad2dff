package dev.airseal.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * AWS-LC and BouncyCastle give the same verdict on good signatures and on every kind of bad or
 * re-encoded one: switching engines must never change what the log or the verifier accepts.
 */
class EcdsaEnginesAgreeTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Provider AWS_LC = AwsLc.provider().orElseThrow();

  @ParameterizedTest
  @ValueSource(strings = {"secp256r1", "secp384r1", "secp521r1"})
  void bothEnginesGiveTheSameVerdict(String curve) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec(curve), RANDOM);
    int accepted = 0;
    int refused = 0;
    for (int round = 0; round < 40; round++) {
      KeyPair kp = g.generateKeyPair();
      BigInteger n = ((ECPublicKey) kp.getPublic()).getParams().getOrder();
      for (int digestLength : new int[] {20, 32, 48, 64}) {
        byte[] digest = new byte[digestLength];
        RANDOM.nextBytes(digest);
        Signature s = Signature.getInstance("NONEwithECDSA", "SunEC");
        s.initSign(kp.getPrivate());
        s.update(digest);
        byte[] sig = s.sign();
        for (byte[] candidate : variants(sig, n)) {
          boolean awsLc = Ecdsa.verifyDigest(AWS_LC, kp.getPublic(), digest, candidate);
          boolean bc = Ecdsa.verifyDigest(null, kp.getPublic(), digest, candidate);
          assertThat(awsLc).as("%s digest %d signature %s", curve, digestLength, hex(candidate)).isEqualTo(bc);
          if (awsLc) {
            accepted++;
          } else {
            refused++;
          }
        }
        byte[] otherDigest = digest.clone();
        // Within the leading bytes: a digest longer than the order is truncated to it.
        otherDigest[RANDOM.nextInt(Math.min(digestLength, 32))] ^= 1;
        assertThat(Ecdsa.verifyDigest(AWS_LC, kp.getPublic(), otherDigest, sig)).isFalse();
      }
    }
    // The good signature and its high-S twin pass in every round; everything else fails.
    assertThat(accepted).isEqualTo(40 * 4 * 2);
    assertThat(refused).isGreaterThan(40 * 4 * 8);
  }

  /** The signature, its high-S twin, and bad or non-DER forms of it. */
  private static List<byte[]> variants(byte[] sig, BigInteger n) {
    ASN1Sequence seq = ASN1Sequence.getInstance(sig);
    BigInteger r = ASN1Integer.getInstance(seq.getObjectAt(0)).getValue();
    BigInteger s = ASN1Integer.getInstance(seq.getObjectAt(1)).getValue();
    List<byte[]> out = new ArrayList<>();
    out.add(sig);
    out.add(der(r, n.subtract(s)));
    out.add(der(r, s.add(n)));
    out.add(der(r.add(n), s));
    out.add(der(BigInteger.ZERO, s));
    out.add(der(r, BigInteger.ZERO));
    out.add(der(r, n));
    out.add(der(r.negate(), s));
    out.add(Arrays.copyOf(sig, sig.length + 1));
    out.add(Arrays.copyOf(sig, sig.length - 1));
    out.add(new byte[0]);
    byte[] flipped = sig.clone();
    flipped[RANDOM.nextInt(sig.length)] ^= (byte) (1 << RANDOM.nextInt(8));
    out.add(flipped);
    // The same (r, s) with the outer length in long form, and with r padded by a zero byte.
    byte[] ber = new byte[sig.length + 1];
    ber[0] = 0x30;
    ber[1] = (byte) 0x81;
    System.arraycopy(sig, sig[1] == (byte) 0x81 ? 2 : 1, ber, 2, sig.length - (sig[1] == (byte) 0x81 ? 2 : 1));
    if (sig[1] != (byte) 0x81) {
      out.add(ber);
    }
    out.add(paddedR(r, s));
    return out;
  }

  private static byte[] der(BigInteger r, BigInteger s) {
    try {
      ASN1EncodableVector v = new ASN1EncodableVector();
      v.add(new ASN1Integer(r));
      v.add(new ASN1Integer(s));
      return new DERSequence(v).getEncoded();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] paddedR(BigInteger r, BigInteger s) {
    byte[] rb = r.toByteArray();
    byte[] sb = s.toByteArray();
    byte[] rPadded = new byte[rb.length + 1];
    System.arraycopy(rb, 0, rPadded, 1, rb.length);
    int body = 2 + rPadded.length + 2 + sb.length;
    java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
    o.write(0x30);
    if (body > 127) {
      o.write(0x81);
    }
    o.write(body);
    o.write(0x02);
    o.write(rPadded.length);
    o.writeBytes(rPadded);
    o.write(0x02);
    o.write(sb.length);
    o.writeBytes(sb);
    return o.toByteArray();
  }

  private static String hex(byte[] b) {
    return dev.airseal.log.Hex.encode(b);
  }
}
