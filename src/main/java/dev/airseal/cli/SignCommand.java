package dev.airseal.cli;

import dev.airseal.log.rekor.RekorClient;
import dev.airseal.oci.ImageReference;
import dev.airseal.oci.RegistryClient;
import dev.airseal.signing.Signer;
import dev.airseal.signing.Signers;
import dev.airseal.signing.cosign.ImageSigner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "sign",
    description = "Sign an image by digest as cosign does, log the signature, push the .sig layer.")
public class SignCommand implements Callable<Integer> {
  @Option(names = "--key", required = true, description = "Key: PEM file, pkcs11:..., awskms://...")
  String key;

  @Option(names = {"-y", "--yes"}, description = "Skip confirmation prompts (accepted for cosign compatibility).")
  boolean yes;

  @Mixin RekorFlags rekorFlags;

  @Option(names = "--upload", arity = "0..1", defaultValue = "true", fallbackValue = "true",
      description = "Push the signature to the registry (default true).")
  boolean upload;

  @Option(names = {"-a", "--annotations"}, description = "key=value added to the signed payload.")
  Map<String, String> annotations = new LinkedHashMap<>();

  @Option(names = "--new-bundle-format", arity = "0..1", defaultValue = "false", fallbackValue = "true",
      description = "cosign v3 layout: a Sigstore bundle (DSSE, predicate"
          + " https://sigstore.dev/cosign/sign/v1) pushed as an OCI referrer, instead of a .sig layer.")
  boolean newBundleFormat;

  @Option(names = "--bundle", description = "With --new-bundle-format, also write the bundle here.")
  Path bundle;

  @Option(names = "--output-signature", description = "Write the base64 signature here.")
  Path outputSignature;

  @Option(names = "--output-payload", description = "Write the signed payload here.")
  Path outputPayload;

  @Option(names = "--output-dir", description = "Also write the signature manifest and its blobs into this OCI image layout directory.")
  Path outputDir;

  @Mixin RegistryFlags registryFlags;

  @Parameters(index = "0", paramLabel = "IMAGE", description = "registry/repo@sha256:...")
  String image;

  @Override
  public Integer call() {
    try {
      ImageReference ref = ImageReference.parse(image);
      Signer signer = Signers.fromUri(key);
      Optional<RekorClient> rekor = rekorFlags.client();
      if (newBundleFormat) {
        ImageSigner.BundleResult b =
            new ImageSigner(new RegistryClient(registryFlags.options()))
                .signBundle(ref, signer, new ImageSigner.Options(rekor, upload, annotations));
        if (bundle != null) {
          Files.writeString(bundle, b.bundle().toString());
        }
        b.referrer().ifPresent(d -> System.err.println("Pushed bundle referrer " + ref.withDigest(d)));
        return 0;
      }
      ImageSigner.Result r =
          new ImageSigner(new RegistryClient(registryFlags.options()))
              .sign(ref, signer, new ImageSigner.Options(rekor, upload, annotations, Optional.ofNullable(outputDir)));
      if (outputSignature != null) {
        Files.writeString(outputSignature, Base64.getEncoder().encodeToString(r.signature()));
      }
      if (outputPayload != null) {
        Files.write(outputPayload, r.payload());
      }
      r.entry().ifPresent(e -> System.err.println(
          "tlog entry created with index: " + e.entry().path("logIndex").asLong() + " (" + e.uuid() + ")"));
      if (upload) {
        System.err.println("Pushing signature to: " + r.signatureTag());
      }
      return 0;
    } catch (Exception e) {
      System.err.println("error: " + e.getMessage());
      return 1;
    }
  }

}
