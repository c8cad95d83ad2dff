package dev.airseal.cli;

import dev.airseal.trust.TrustedRoot;
import dev.airseal.verify.Artifact;
import dev.airseal.verify.BundleVerifier;
import dev.airseal.verify.Reason;
import dev.airseal.verify.VerificationPolicy;
import dev.airseal.verify.Verdict;
import dev.airseal.verify.x509.IdentityPolicy;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.concurrent.Callable;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The sigstore-conformance CLI protocol's {@code verify-bundle}: offline, exit 0 only when the
 * bundle verifies, the reasons on stderr either way.
 */
@Command(
    name = "verify-bundle",
    description = "Verify a Sigstore bundle offline against a trusted root (sigstore-conformance protocol).")
public class VerifyBundleCommand implements Callable<Integer> {
  @Option(names = "--bundle", required = true, description = "The Sigstore bundle (JSON).")
  Path bundle;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Signer signer;

  @Option(names = "--clock-skew", defaultValue = "PT60S",
      description = "How far a log's integration time may be ahead of this machine's clock (default: ${DEFAULT-VALUE}).")
  java.time.Duration clockSkew;

  static class Signer {
    @ArgGroup(exclusive = false)
    Identity identity;

    @Option(names = "--key", description = "PEM public key of a key-based signature.")
    Path key;
  }

  static class Identity {
    @Option(names = "--certificate-identity", required = true, description = "Expected certificate SAN.")
    String identity;

    @Option(names = "--certificate-oidc-issuer", required = true, description = "Expected OIDC issuer.")
    String issuer;
  }

  // Optional in the protocol, but an air-gapped verifier has no TUF to fetch a root from.
  @Option(names = "--trusted-root", description = "trusted_root.json to verify against (required offline).")
  Path trustedRoot;

  @Parameters(index = "0", paramLabel = "FILE_OR_DIGEST", description = "The artifact, or sha256:<hex>.")
  String artifact;

  @Override
  public Integer call() {
    if (trustedRoot == null) {
      System.err.println("error: --trusted-root is required: Airseal never fetches trust roots");
      return 1;
    }
    try {
      TrustedRoot root = TrustedRoot.parse(Files.readAllBytes(trustedRoot));
      Artifact a =
          artifact.startsWith("sha256:")
              ? Artifact.ofDigestString(artifact)
              : Artifact.ofBytes(Files.readAllBytes(Path.of(artifact)));
      VerificationPolicy policy =
          signer.key != null
              ? VerificationPolicy.forKey(readKey(signer.key))
              : VerificationPolicy.forIdentity(
                  IdentityPolicy.exact(signer.identity.identity, signer.identity.issuer));
      policy = policy.withClockSkew(clockSkew);
      Verdict v = BundleVerifier.verify(Files.readAllBytes(bundle), a, policy, root);
      for (Reason r : v.reasons()) {
        System.err.println((v.allowed() ? "ok: " : "denied: ") + r);
      }
      return v.allowed() ? 0 : 1;
    } catch (Exception e) {
      System.err.println("error: " + e.getMessage());
      return 1;
    }
  }

  private static PublicKey readKey(Path pem) throws Exception {
    try (PEMParser p = new PEMParser(new StringReader(Files.readString(pem)))) {
      Object o = p.readObject();
      if (!(o instanceof SubjectPublicKeyInfo spki)) {
        throw new IllegalArgumentException(pem + " holds no PEM PUBLIC KEY");
      }
      return new JcaPEMKeyConverter().getPublicKey(spki);
    }
  }
}
