package dev.airseal.signing;

import dev.airseal.signing.soft.KeyFiles;
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
    if (uri.startsWith("pkcs11:") || uri.startsWith("awskms:")) {
      throw new IllegalArgumentException(
          "key scheme of '" + redact(uri) + "' is not available in this build");
    }
    Path path = Path.of(uri.startsWith("file:") ? uri.substring("file:".length()) : uri);
    return new SoftwareSigner(KeyFiles.readKeyPair(path));
  }

  /** A key reference fit for messages: PINs and passwords removed. */
  public static String redact(String uri) {
    return uri.replaceAll("(?i)(pin-value|password)=[^&;]*", "$1=****");
  }
}
