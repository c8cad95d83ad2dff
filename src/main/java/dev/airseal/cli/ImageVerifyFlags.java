package dev.airseal.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.log.Rfc6962;
import dev.airseal.oci.Digest;
import dev.airseal.oci.ImageReference;
import dev.airseal.oci.RegistryClient;
import dev.airseal.signing.Signers;
import dev.airseal.trust.TlogInstance;
import dev.airseal.trust.TrustedRoot;
import dev.airseal.trust.ValidFor;
import dev.airseal.verify.Reason;
import dev.airseal.verify.VerificationPolicy;
import dev.airseal.verify.oci.ImageSource;
import dev.airseal.verify.oci.LayoutImageSource;
import dev.airseal.verify.oci.ImageVerification;
import dev.airseal.verify.oci.ImageVerifier;
import dev.airseal.verify.oci.SignatureResult;
import dev.airseal.verify.x509.IdentityPolicy;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** cosign's flags for {@code verify} and {@code verify-attestation}, and the run they share. */
public class ImageVerifyFlags {
  static final String REKOR_KEY_ENV = "SIGSTORE_REKOR_PUBLIC_KEY";
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--key", description = "Public key (PEM file), or a key reference (cosign.key, pkcs11:..., awskms://...).")
  String key;

  @Option(names = "--certificate-identity", description = "Expected certificate SAN (keyless).")
  String identity;

  @Option(names = "--certificate-identity-regexp", description = "Pattern for the certificate SAN (keyless).")
  String identityRegexp;

  @Option(names = "--certificate-oidc-issuer", description = "Expected OIDC issuer (keyless).")
  String issuer;

  @Option(names = "--certificate-oidc-issuer-regexp", description = "Pattern for the OIDC issuer (keyless).")
  String issuerRegexp;

  @Option(names = "--trusted-root", description = "trusted_root.json: logs, CAs, CT logs and TSAs to trust.")
  Path trustedRoot;

  @Option(names = "--rekor-public-key",
      description = "PEM key of the Rekor log to trust (as cosign's " + REKOR_KEY_ENV + ", which is also read).")
  Path rekorPublicKey;

  @Option(names = "--insecure-ignore-tlog", arity = "0..1", fallbackValue = "true",
      description = "Accept signatures without a transparency log entry (insecure).")
  boolean ignoreTlog;

  @Option(names = "--insecure-ignore-sct", arity = "0..1", fallbackValue = "true",
      description = "Do not require an SCT in keyless certificates.")
  boolean ignoreSct;

  @Option(names = "--clock-skew", defaultValue = "PT60S",
      description = "How far a log's integration time may be ahead of this machine's clock (default: ${DEFAULT-VALUE}).")
  java.time.Duration clockSkew;

  @Option(names = "--offline", arity = "0..1", fallbackValue = "true",
      description = "Accepted for cosign compatibility: Airseal always verifies offline.")
  boolean offline;

  @Option(names = {"-o", "--output"}, defaultValue = "text",
      description = "text: cosign's check lines and the verified payloads; json: the verdict of every signature.")
  String output;

  @Option(names = "--local-image", arity = "0..1", fallbackValue = "true",
      description = "IMAGE is an OCI layout directory (as cosign save or airseal sign --output-dir writes), not a registry reference.")
  boolean localImage;

  @Mixin RegistryFlags registryFlags;

  /** What a command verifies: signatures or attestations of one image digest. */
  interface Check extends BiFunction<ImageVerifier, Digest, ImageVerification> {}

  int run(List<String> images, String noun, Check check) {
    if (!"text".equals(output) && !"json".equals(output)) {
      System.err.println("error: --output must be text or json, got " + output);
      return 1;
    }
    ImageVerifier.Options opts;
    try {
      opts = new ImageVerifier.Options(policy(), root(), ignoreTlog);
    } catch (Exception e) {
      System.err.println("error: " + e.getMessage());
      return 1;
    }
    RegistryClient client = new RegistryClient(registryFlags.options());
    boolean ok = true;
    ArrayNode report = JSON.createArrayNode();
    for (String image : images) {
      ImageReference ref;
      Digest digest;
      if (localImage) {
        try {
          LayoutImageSource layout = LayoutImageSource.open(java.nio.file.Path.of(image));
          ref = layout.image().orElseThrow(() -> new java.io.IOException(
              image + " names no image (no cosign save image entry, no dev.airseal.image annotation)"));
          ImageVerification v = check.apply(new ImageVerifier(layout, opts), ref.digest());
          ok &= v.allowed();
          if ("json".equals(output)) {
            report.add(json(ref, v));
          } else {
            text(ref, v, noun);
          }
        } catch (Exception e) {
          System.err.println("error: " + image + ": " + e.getMessage());
          ok = false;
        }
        continue;
      }
      try {
        ref = ImageReference.parse(image);
        // A tag is resolved once, here; everything after is bound to the digest.
        digest = ref.digest() != null ? ref.digest() : client.resolve(ref);
      } catch (Exception e) {
        System.err.println("error: " + image + ": " + e.getMessage());
        ok = false;
        continue;
      }
      ImageVerification v = check.apply(new ImageVerifier(ImageSource.registry(client, ref), opts), digest);
      ok &= v.allowed();
      if ("json".equals(output)) {
        report.add(json(ref, v));
      } else {
        text(ref, v, noun);
      }
    }
    if ("json".equals(output)) {
      System.out.println(report.toPrettyString());
    }
    return ok ? 0 : 1;
  }

  private void text(ImageReference ref, ImageVerification v, String noun) {
    if (!v.allowed()) {
      System.err.println("Error: no matching " + noun + " for " + ref.withDigest(v.image()) + ":");
      for (Reason r : v.verdict().reasons()) {
        System.err.println("  " + r);
      }
      return;
    }
    System.err.println();
    System.err.println("Verification for " + ref.withDigest(v.image()) + " --");
    System.err.println("The following checks were performed on each of these " + noun + ":");
    System.err.println("  - The cosign claims were validated");
    if (!ignoreTlog) {
      System.err.println("  - Existence of the claims in the transparency log was verified offline");
    }
    System.err.println(key != null
        ? "  - The signatures were verified against the specified public key"
        : "  - The code-signing certificate was verified using trusted certificate authority certificates");
    ArrayNode payloads = JSON.createArrayNode();
    for (SignatureResult s : v.verified()) {
      s.payload().ifPresent(payloads::add);
    }
    System.out.println(payloads);
  }

  private static ObjectNode json(ImageReference ref, ImageVerification v) {
    ObjectNode n = JSON.createObjectNode();
    n.put("image", ref.withDigest(v.image()).toString());
    n.put("verdict", v.verdict().decision().name());
    n.set("reasons", reasons(v.verdict().reasons()));
    ArrayNode sigs = n.putArray("signatures");
    for (SignatureResult s : v.signatures()) {
      ObjectNode o = sigs.addObject();
      o.put("source", s.source());
      o.put("verdict", s.verdict().decision().name());
      o.set("reasons", reasons(s.verdict().reasons()));
      s.payload().ifPresent(p -> o.set("payload", p));
    }
    return n;
  }

  private static ArrayNode reasons(List<Reason> reasons) {
    ArrayNode a = JSON.createArrayNode();
    reasons.forEach(r -> a.addObject().put("check", r.check()).put("evidence", r.evidence()));
    return a;
  }

  private VerificationPolicy policy() throws IOException {
    boolean keyless = identity != null || identityRegexp != null || issuer != null || issuerRegexp != null;
    if (key != null && keyless) {
      throw new IllegalArgumentException("give either --key or --certificate-identity/--certificate-oidc-issuer, not both");
    }
    if (key != null) {
      return VerificationPolicy.forKey(readKey(key)).withClockSkew(clockSkew);
    }
    if (!keyless) {
      throw new IllegalArgumentException(
          "--key, or --certificate-identity(-regexp) with --certificate-oidc-issuer(-regexp), is required");
    }
    VerificationPolicy p = VerificationPolicy.forIdentity(
        new IdentityPolicy(identity, identityRegexp, issuer, issuerRegexp, Map.of()));
    return (ignoreSct ? p.withoutScts() : p).withClockSkew(clockSkew);
  }

  /**
   * The root to verify against: {@code --trusted-root}, plus the log named by {@code
   * --rekor-public-key} or {@code SIGSTORE_REKOR_PUBLIC_KEY}. Airseal never fetches one.
   */
  private TrustedRoot root() throws Exception {
    Path rekor = rekorPublicKey;
    if (rekor == null && System.getenv(REKOR_KEY_ENV) != null && !System.getenv(REKOR_KEY_ENV).isBlank()) {
      rekor = Path.of(System.getenv(REKOR_KEY_ENV));
    }
    TrustedRoot base = trustedRoot != null ? TrustedRoot.read(trustedRoot) : null;
    if (base == null && rekor == null && !ignoreTlog) {
      throw new IllegalArgumentException(
          "--trusted-root or --rekor-public-key (or " + REKOR_KEY_ENV + ") is required: Airseal never fetches a trust root");
    }
    List<TlogInstance> tlogs = new ArrayList<>(base == null ? List.of() : base.tlogs());
    if (rekor != null) {
      tlogs.add(rekorLog(readPublicKey(rekor)));
    }
    return new TrustedRoot(
        base == null ? TrustedRoot.MEDIA_TYPE_V01 : base.mediaType(),
        tlogs,
        base == null ? List.of() : base.certificateAuthorities(),
        base == null ? List.of() : base.ctlogs(),
        base == null ? List.of() : base.timestampAuthorities());
  }

  /** A log known only by its key, as cosign trusts SIGSTORE_REKOR_PUBLIC_KEY: any time, log ID = key hash. */
  private static TlogInstance rekorLog(PublicKey k) {
    byte[] der = k.getEncoded();
    return new TlogInstance(
        "https://rekor.invalid", "SHA2_256", k, keyDetails(k), der, ValidFor.from(Instant.EPOCH),
        Rfc6962.sha256(der), null, null);
  }

  private static String keyDetails(PublicKey k) {
    if (k instanceof ECPublicKey ec) {
      int bits = ec.getParams().getCurve().getField().getFieldSize();
      return bits <= 256 ? "PKIX_ECDSA_P256_SHA_256" : bits <= 384 ? "PKIX_ECDSA_P384_SHA_384" : "PKIX_ECDSA_P521_SHA_512";
    }
    if (k instanceof RSAPublicKey rsa) {
      return "PKIX_RSA_PKCS1V15_" + rsa.getModulus().bitLength() + "_SHA256";
    }
    return "PKIX_ED25519";
  }

  /** A PEM public key file, else any signing-key reference whose public half is used. */
  private static PublicKey readKey(String ref) throws IOException {
    Path p = Path.of(ref);
    if (Files.isRegularFile(p) && Files.readString(p).contains("PUBLIC KEY-----")) {
      return readPublicKey(p);
    }
    return Signers.fromUri(ref).publicKey();
  }

  private static PublicKey readPublicKey(Path pem) throws IOException {
    try (PEMParser p = new PEMParser(new StringReader(Files.readString(pem)))) {
      Object o = p.readObject();
      if (!(o instanceof SubjectPublicKeyInfo spki)) {
        throw new IllegalArgumentException(pem + " holds no PEM PUBLIC KEY");
      }
      return new JcaPEMKeyConverter().getPublicKey(spki);
    }
  }
}
