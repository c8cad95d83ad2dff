package dev.airseal.signing.cosign;

/** Layer annotation keys cosign reads on {@code .sig} and {@code .att} manifests. */
public final class Annotations {
  public static final String SIGNATURE = "dev.cosignproject.cosign/signature";
  public static final String BUNDLE = "dev.sigstore.cosign/bundle";
  public static final String CERTIFICATE = "dev.sigstore.cosign/certificate";
  public static final String CHAIN = "dev.sigstore.cosign/chain";
  public static final String RFC3161_TIMESTAMP = "dev.sigstore.cosign/rfc3161timestamp";

  private Annotations() {}
}
