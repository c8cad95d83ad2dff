package dev.airseal.cli;

import dev.airseal.signing.Signers;
import dev.airseal.signing.cosign.BlobSigner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "sign-blob", description = "Sign a file, log the signature, write a Sigstore bundle v0.3.")
public class SignBlobCommand implements Callable<Integer> {
  @Option(names = "--key", required = true, description = "Key: PEM file, pkcs11:..., awskms://...")
  String key;

  @Option(names = {"-y", "--yes"}, description = "Accepted for cosign compatibility.")
  boolean yes;

  @Option(names = "--bundle", description = "Write the Sigstore bundle here.")
  Path bundle;

  @Option(names = "--new-bundle-format", arity = "0..1", defaultValue = "true", fallbackValue = "true",
      description = "Accepted for cosign compatibility: bundles are always v0.3.")
  boolean newBundleFormat;

  @Option(names = "--output-signature", description = "Write the base64 signature here.")
  Path outputSignature;

  @Mixin RekorFlags rekorFlags;

  @Parameters(index = "0", paramLabel = "FILE")
  Path file;

  @Override
  public Integer call() {
    try {
      BlobSigner.Signed s = BlobSigner.signBlob(file, Signers.fromUri(key), rekorFlags.client());
      String sig = Base64.getEncoder().encodeToString(s.signature());
      if (outputSignature != null) {
        Files.writeString(outputSignature, sig);
      }
      if (bundle != null) {
        Files.writeString(bundle, s.bundle().toString(), StandardCharsets.UTF_8);
        System.err.println("Wrote bundle to file " + bundle);
      }
      s.entry().ifPresent(e -> System.err.println("tlog entry created with index: " + e.entry().path("logIndex").asLong()));
      if (outputSignature == null && bundle == null) {
        System.out.println(sig);
      }
      return 0;
    } catch (Exception e) {
      System.err.println("error: " + e.getMessage());
      return 1;
    }
  }
}
