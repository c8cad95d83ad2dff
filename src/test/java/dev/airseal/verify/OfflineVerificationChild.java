package dev.airseal.verify;

import dev.airseal.cli.VerifyBlobAttestationCommand;
import dev.airseal.cli.VerifyBlobCommand;
import dev.airseal.trust.TrustedRoot;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * Runs in a child JVM without network (see {@link OfflineVerificationTest}): verifies vector bundles
 * with {@link BundleVerifier} and the verify-blob commands, and reports any attempt to reach the
 * network that the JVM-level guards saw. Prints {@code OFFLINE-OK} and exits 0 only if every case
 * gave its expected verdict and no attempt was made.
 */
public final class OfflineVerificationChild {
  static final String IDENTITY =
      "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
  static final String ISSUER = "https://token.actions.githubusercontent.com";

  private static final List<String> ATTEMPTS = new ArrayList<>();

  private OfflineVerificationChild() {}

  private static synchronized void attempt(String what) {
    StringBuilder sb = new StringBuilder(what);
    for (StackTraceElement e : new Throwable().getStackTrace()) {
      sb.append("\n    at ").append(e);
    }
    ATTEMPTS.add(sb.toString());
  }

  @SuppressWarnings("deprecation") // Socket.setSocketImplFactory: deprecated in 17, still the hook
  private static void installGuards() throws IOException {
    ProxySelector.setDefault(
        new ProxySelector() {
          @Override
          public List<Proxy> select(URI uri) {
            attempt("ProxySelector.select(" + uri + ")");
            throw new IllegalStateException("network access attempted: " + uri);
          }

          @Override
          public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {}
        });
    Socket.setSocketImplFactory(
        () -> {
          attempt("new java.net.Socket");
          throw new IllegalStateException("network access attempted: new Socket");
        });
  }

  public static void main(String[] args) throws Exception {
    int controlPort = Integer.parseInt(args[0]);
    Path vectors = Path.of(args[1]);
    // Control: the parent listens on 127.0.0.1:controlPort. Reaching it (through NIO, which the
    // guards below do not see) would mean this JVM is not cut off, and the test would prove nothing.
    try (SocketChannel ch = SocketChannel.open()) {
      ch.connect(new InetSocketAddress("127.0.0.1", controlPort));
      System.out.println("FAIL control: connected to 127.0.0.1:" + controlPort + ": not isolated");
      System.exit(2);
    } catch (IOException expected) {
      System.out.println("control: 127.0.0.1:" + controlPort + " unreachable: " + expected.getMessage());
    }
    installGuards();
    // The guards themselves must fire, or their silence below would mean nothing.
    try (Socket s = new Socket()) {
      System.out.println("FAIL control: new Socket() was not intercepted");
      System.exit(2);
    } catch (IllegalStateException expected) {
      ATTEMPTS.clear();
    }

    Path cases = vectors.resolve("sigstore-conformance/assets/bundle-verify");
    Path production = vectors.resolve("sigstore-public-good-trust/production/trusted_root.json");
    Path a = cases.resolve("a.txt");
    int failures = 0;
    Map<String, Boolean> keyless =
        Map.of(
            "happy-path-v0.1", true,
            "happy-path-v0.2", true,
            "happy-path-v0.3", true,
            "happy-path-intoto-in-dsse-v3", true,
            "rekor2-happy-path", true,
            "rekor2-timestamp-with-embedded-cert", true,
            "signature-mismatch_fail", false);
    for (var e : keyless.entrySet()) {
      Path c = cases.resolve(e.getKey());
      Path root = Files.exists(c.resolve("trusted_root.json")) ? c.resolve("trusted_root.json") : production;
      Verdict v =
          TestPolicies.verify(
              c.resolve("bundle.sigstore.json"), Artifact.ofBytes(Files.readAllBytes(a)),
              TestPolicies.identity(IDENTITY, ISSUER), root);
      failures += report("BundleVerifier " + e.getKey(), e.getValue(), v.allowed(), v.reasons().get(v.reasons().size() - 1).toString());
    }
    Path mk = cases.resolve("managed-key-happy-path");
    Verdict v =
        TestPolicies.verify(
            mk.resolve("bundle.sigstore.json"), Artifact.ofBytes(Files.readAllBytes(a)),
            TestPolicies.key(mk.resolve("key.pub")), production);
    failures += report("BundleVerifier managed-key-happy-path", true, v.allowed(), v.toString());
    // Parsing a root alone must not reach out either (no TUF refresh, no CRL/OCSP).
    TrustedRoot.parse(Files.readAllBytes(production));

    int rc =
        new CommandLine(new VerifyBlobCommand())
            .execute("--bundle", cases.resolve("happy-path-v0.3/bundle.sigstore.json").toString(),
                "--certificate-identity", IDENTITY, "--certificate-oidc-issuer", ISSUER,
                "--trusted-root", production.toString(), a.toString());
    failures += report("verify-blob happy-path-v0.3", true, rc == 0, "exit " + rc);
    rc =
        new CommandLine(new VerifyBlobCommand())
            .execute("--bundle", mk.resolve("bundle.sigstore.json").toString(), "--key", mk.resolve("key.pub").toString(),
                "--trusted-root", production.toString(), a.toString());
    failures += report("verify-blob managed-key-happy-path", true, rc == 0, "exit " + rc);
    rc =
        new CommandLine(new VerifyBlobAttestationCommand())
            .execute("--bundle", cases.resolve("happy-path-intoto-in-dsse-v3/bundle.sigstore.json").toString(),
                "--type", "slsaprovenance1", "--certificate-identity", IDENTITY, "--certificate-oidc-issuer", ISSUER,
                "--trusted-root", production.toString(), a.toString());
    failures += report("verify-blob-attestation happy-path-intoto-in-dsse-v3", true, rc == 0, "exit " + rc);

    for (String at : ATTEMPTS) {
      System.out.println("NETWORK ATTEMPT: " + at);
    }
    if (failures == 0 && ATTEMPTS.isEmpty()) {
      System.out.println("OFFLINE-OK");
      System.exit(0);
    }
    System.exit(1);
  }

  private static int report(String name, boolean want, boolean got, String detail) {
    boolean ok = want == got;
    System.out.println((ok ? "ok   " : "FAIL ") + name + ": " + (got ? "ALLOW" : "DENY") + (ok ? "" : " (" + detail + ")"));
    return ok ? 0 : 1;
  }
}
