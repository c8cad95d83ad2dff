package dev.airseal.crypto;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * AWS-LC's ECDSA through the Amazon Corretto Crypto Provider, where its native library loads and
 * the operator has not turned it off ({@code airseal.crypto.aws-lc=false}).
 *
 * <p>Why: the log signs a SET and checks a submission's signature for every entry, and those two
 * ECDSA operations took two thirds of the CPU per append with BouncyCastle. On this project's 2-core
 * machine AWS-LC signs P-256 at ~30,000/s and verifies with a freshly parsed key at ~11,000/s, where
 * BouncyCastle does ~6,000-10,000/s and ~2,500/s (docs/log.md, "ECDSA engine").
 *
 * <p>The provider is used by name where we ask for it, never installed as a JCA default, so TLS
 * and everything else keep their providers. The jar carries the library for Linux on x86-64; where
 * it cannot load (another platform, a {@code noexec} temporary directory) or fails its own check
 * here, BouncyCastle serves and {@link #engine()} says why.
 */
public final class AwsLc {
  /** The configuration property that turns it off; documented in docs/configuration.md. */
  public static final String SWITCH = "airseal.crypto.aws-lc";

  private static final Loaded LOADED = load(switchedOn());

  private AwsLc() {}

  /** The provider, when it serves ECDSA in this process. */
  public static Optional<Provider> provider() {
    return Optional.ofNullable(LOADED.provider());
  }

  /** Which engine signs and verifies ECDSA, for the start-up log and {@code log info}. */
  public static String engine() {
    return LOADED.description();
  }

  record Loaded(Provider provider, String description) {}

  static Loaded load(boolean wanted) {
    if (!wanted) {
      return new Loaded(null, "BouncyCastle (AWS-LC turned off by " + SWITCH + "=false)");
    }
    try {
      AmazonCorrettoCryptoProvider p = AmazonCorrettoCryptoProvider.INSTANCE;
      Throwable error = p.getLoadingError();
      if (error != null) {
        return new Loaded(null, "BouncyCastle (AWS-LC unavailable: " + error + ")");
      }
      selfCheck(p);
      return new Loaded(p, "AWS-LC (Amazon Corretto Crypto Provider " + p.getVersionStr() + ")");
    } catch (Exception | LinkageError e) {
      return new Loaded(null, "BouncyCastle (AWS-LC unavailable: " + e + ")");
    }
  }

  // A library that loads but cannot sign and verify one P-256 signature must not serve.
  private static void selfCheck(Provider p) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC", p);
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair kp = g.generateKeyPair();
    byte[] digest = new byte[32];
    Signature s = Signature.getInstance("NONEwithECDSA", p);
    s.initSign(kp.getPrivate());
    s.update(digest);
    byte[] sig = s.sign();
    s.initVerify(kp.getPublic());
    s.update(digest);
    if (!s.verify(sig)) {
      throw new IllegalStateException("its own P-256 signature did not verify");
    }
  }

  private static boolean switchedOn() {
    try {
      return ConfigProvider.getConfig().getOptionalValue(SWITCH, Boolean.class).orElse(true);
    } catch (RuntimeException | LinkageError e) {
      return !"false".equalsIgnoreCase(System.getProperty(SWITCH));
    }
  }
}
