package dev.airseal.signing.pkcs11;

/**
 * One object of a token as the SunPKCS11 KeyStore sees it, for {@code keys list}.
 *
 * @param label the object label (KeyStore alias, also what {@code object=} selects)
 * @param keyType {@code EC}, {@code RSA}, or the algorithm of a secret key
 * @param bits curve field size or modulus size; 0 when the token does not reveal it
 * @param privateKey whether a private key is present (a signing key)
 * @param certificate whether a certificate is present
 */
public record Pkcs11Entry(
    String label, String keyType, int bits, boolean privateKey, boolean certificate) {

  @Override
  public String toString() {
    String what =
        privateKey && certificate
            ? "private key + certificate"
            : certificate ? "certificate only" : privateKey ? "private key" : "secret key";
    return label + ": " + keyType + (bits > 0 ? " " + bits + " bits" : "") + ", " + what;
  }
}
