package dev.airseal.verify;

import dev.airseal.trust.TrustedRoot;
import dev.airseal.verify.x509.IdentityPolicy;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** Policies and trusted roots as the vector suites describe them. */
final class TestPolicies {
  private TestPolicies() {}

  static VerificationPolicy key(Path pem) throws IOException {
    try (PEMParser p = new PEMParser(new StringReader(Files.readString(pem)))) {
      // The JDK's converter, as the CLI's: it accepts what a PEM file holds and leaves judging the
      // key (e.g. a point off the curve) to the signature check, which then denies.
      PublicKey key = new JcaPEMKeyConverter().getPublicKey((SubjectPublicKeyInfo) p.readObject());
      return VerificationPolicy.forKey(key);
    }
  }

  static VerificationPolicy identity(String subject, String issuer) {
    return VerificationPolicy.forIdentity(IdentityPolicy.exact(subject, issuer));
  }

  /** Any identity: the suites that disable identity checks (sigstore-python's null policy). */
  static VerificationPolicy anyIdentity() {
    return VerificationPolicy.forIdentity(new IdentityPolicy(null, ".*", null, ".*", java.util.Map.of()));
  }

  /** A root that does not parse denies the case, as a client refusing the root would. */
  static Verdict verify(Path bundle, Artifact artifact, VerificationPolicy policy, Path rootFile)
      throws IOException {
    TrustedRoot root;
    try {
      root = TrustedRoot.parse(Files.readAllBytes(rootFile));
    } catch (Exception e) {
      return Verdict.deny("trustedRoot", rootFile.getFileName() + " does not parse: " + e.getMessage());
    }
    return BundleVerifier.verify(Files.readAllBytes(bundle), artifact, policy, root);
  }
}
