package dev.airseal.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.signing.Signer;
import dev.airseal.signing.Signers;
import dev.airseal.trust.TrustedRoot;
import dev.airseal.verify.Reason;
import dev.airseal.verify.VerificationPolicy;
import dev.airseal.verify.Verdict;
import dev.airseal.verify.x509.IdentityPolicy;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Map;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import picocli.CommandLine.Option;

/**
 * The flags {@code verify-blob} and {@code verify-blob-attestation} share, spelled as cosign spells
 * them, and what they mean: the bundle, the trusted root, the policy, how to print the verdict.
 */
class BlobVerifyFlags {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--bundle", required = true, description = "The Sigstore bundle (JSON).")
  Path bundle;

  @Option(names = "--key", description = "Signer's public key: a PEM PUBLIC KEY file, or any key reference (private key file, pkcs11:..., awskms://...).")
  String key;

  @Option(names = "--certificate-identity", description = "Expected certificate SAN, exactly.")
  String identity;

  @Option(names = "--certificate-identity-regexp", description = "Pattern the whole certificate SAN must match.")
  String identityRegexp;

  @Option(names = "--certificate-oidc-issuer", description = "Expected OIDC issuer, exactly.")
  String issuer;

  @Option(names = "--certificate-oidc-issuer-regexp", description = "Pattern the whole OIDC issuer must match.")
  String issuerRegexp;

  // cosign fetches the Sigstore root over TUF when this is missing; an air-gapped verifier must be
  // handed its root, so the flag is required and the error says why.
  @Option(names = "--trusted-root", description = "trusted_root.json to verify against (required: Airseal never fetches trust roots).")
  Path trustedRoot;

  @Option(names = "--insecure-ignore-sct", description = "Do not require an SCT in the signing certificate (private Fulcio without CT).")
  boolean ignoreSct;

  @Option(names = "--clock-skew", defaultValue = "PT60S",
      description = "How far a log's integration time may be ahead of this machine's clock (default: ${DEFAULT-VALUE}).")
  java.time.Duration clockSkew;

  @Option(names = "--new-bundle-format", arity = "0..1", fallbackValue = "true",
      description = "Accepted for cosign compatibility: Sigstore bundles of every version are read.")
  boolean newBundleFormat;

  @Option(names = "--offline", arity = "0..1", fallbackValue = "true",
      description = "Accepted for cosign compatibility: verification is always offline.")
  boolean offline;

  @Option(names = {"-o", "--output"}, defaultValue = "text", description = "text (default) or json: the verdict with every reason on stdout.")
  String output;

  /** Checks the flags fit together; returns the problem, or null. */
  String problem() {
    if (!"text".equals(output) && !"json".equals(output)) {
      return "--output must be text or json, got \"" + output + "\"";
    }
    if (trustedRoot == null) {
      return "--trusted-root is required: Airseal never fetches trust roots";
    }
    boolean keyless = identity != null || identityRegexp != null || issuer != null || issuerRegexp != null;
    if (key != null && keyless) {
      return "--key and --certificate-identity/--certificate-oidc-issuer exclude each other: a bundle is"
          + " signed with a key or with a certificate";
    }
    if (key == null && !keyless) {
      return "give --key, or --certificate-identity[-regexp] with --certificate-oidc-issuer[-regexp]";
    }
    if (key == null && identity == null && identityRegexp == null) {
      return "keyless verification needs --certificate-identity or --certificate-identity-regexp";
    }
    if (key == null && issuer == null && issuerRegexp == null) {
      return "keyless verification needs --certificate-oidc-issuer or --certificate-oidc-issuer-regexp";
    }
    return null;
  }

  TrustedRoot root() throws Exception {
    return TrustedRoot.parse(Files.readAllBytes(trustedRoot));
  }

  VerificationPolicy policy() throws Exception {
    VerificationPolicy p =
        key != null
            ? VerificationPolicy.forKey(publicKey(key))
            : VerificationPolicy.forIdentity(
                new IdentityPolicy(identity, identityRegexp, issuer, issuerRegexp, Map.of()));
    return (ignoreSct ? p.withoutScts() : p).withClockSkew(clockSkew);
  }

  /** A PEM public key file as is; any other reference through the signer it names. */
  static PublicKey publicKey(String ref) throws Exception {
    if (!ref.contains(":") || ref.startsWith("file:")) {
      Path path = Path.of(ref.startsWith("file:") ? ref.substring("file:".length()) : ref);
      if (!Files.isRegularFile(path)) {
        throw new IOException("key file " + path + " does not exist");
      }
      String pem = Files.readString(path, StandardCharsets.ISO_8859_1);
      if (pem.contains("-----BEGIN PUBLIC KEY-----")) {
        try (PEMParser p = new PEMParser(new StringReader(pem))) {
          if (p.readObject() instanceof SubjectPublicKeyInfo spki) {
            return new JcaPEMKeyConverter().getPublicKey(spki);
          }
        }
        throw new IOException(path + " holds no readable PEM PUBLIC KEY");
      }
    }
    Signer s = Signers.fromUri(ref);
    try {
      return s.publicKey();
    } finally {
      if (s instanceof AutoCloseable c) {
        c.close();
      }
    }
  }

  /** Prints the verdict as asked and returns the exit status: 0 only when allowed. */
  int report(Verdict v, String what, PrintStream out, PrintStream err) {
    if ("json".equals(output)) {
      ObjectNode o = JSON.createObjectNode();
      o.put("verified", v.allowed());
      o.put("decision", v.decision().name());
      o.put("bundle", bundle.toString());
      o.put("artifact", what);
      var reasons = o.putArray("reasons");
      for (Reason r : v.reasons()) {
        reasons.addObject().put("check", r.check()).put("evidence", r.evidence());
      }
      out.println(o.toPrettyString());
    }
    if (v.allowed()) {
      err.println("Verified OK");
      return 0;
    }
    for (Reason r : v.reasons()) {
      err.println("Error: verification failed: " + r);
    }
    return 1;
  }

  static int error(String message) {
    System.err.println("Error: " + message);
    return 1;
  }
}
