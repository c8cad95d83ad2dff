package dev.airseal.signing;

import dev.airseal.signing.awskms.AwsKmsSigner;
import dev.airseal.signing.pkcs11.Pkcs11Signer;
import dev.airseal.signing.pkcs11.Pkcs11Uri;
import dev.airseal.signing.soft.CosignKeyFormat;
import dev.airseal.signing.soft.KeyFiles;
import dev.airseal.signing.soft.KeyGeneration;
import dev.airseal.signing.soft.PasswordSource;
import dev.airseal.signing.soft.SoftwareSigner;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Opens a signer from a key reference as cosign users write them: a file path (or {@code file:}
 * URI) to a PEM key, {@code pkcs11:...} (RFC 7512) or {@code awskms://...}.
 */
public final class Signers {
  private Signers() {}

  public static Signer fromUri(String uri) throws IOException {
    if (uri == null || uri.isBlank()) {
      throw new IllegalArgumentException("a key reference is required (--key)");
    }
    if (uri.startsWith("pkcs11:")) {
      return Pkcs11Signer.open(Pkcs11Uri.parse(uri));
    }
    if (uri.startsWith("awskms:")) {
      return AwsKmsSigner.open(uri);
    }
    Path path = Path.of(uri.startsWith("file:") ? uri.substring("file:".length()) : uri);
    // Encrypted cosign keys take their password from COSIGN_PASSWORD or a prompt, as cosign does.
    return new SoftwareSigner(KeyFiles.readPrivateKey(path, PasswordSource.cosign()));
  }

  /**
   * Creates a key where the reference says and returns its signer. A file reference gets cosign's
   * encrypted format and a {@code .pub} beside it; an existing file is never overwritten.
   */
  public static Signer generate(String uri, SignatureAlgorithm algorithm) throws IOException {
    if (uri.startsWith("pkcs11:")) {
      return Pkcs11Signer.generate(Pkcs11Uri.parse(uri), algorithm);
    }
    if (uri.startsWith("awskms:")) {
      return AwsKmsSigner.generate(uri, algorithm);
    }
    Path path = Path.of(uri.startsWith("file:") ? uri.substring("file:".length()) : uri);
    String name = path.getFileName().toString();
    Path pub = path.resolveSibling(
        (name.endsWith(".key") ? name.substring(0, name.length() - 4) : name) + ".pub");
    java.security.KeyPair kp = KeyGeneration.generate(algorithm);
    CosignKeyFormat.writeKeyPair(path, pub, kp, PasswordSource.cosign());
    return new SoftwareSigner(kp, algorithm);
  }

  /** A key reference fit for messages: PINs and passwords removed. */
  public static String redact(String uri) {
    return uri.replaceAll("(?i)(pin-value|password)=[^&;]*", "$1=****");
  }
}
