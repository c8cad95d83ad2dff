package dev.airseal.cli;

import dev.airseal.signing.Signer;
import dev.airseal.signing.Signers;
import dev.airseal.signing.soft.KeyFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "keys",
    description = "Signing keys in files, PKCS#11 tokens and AWS KMS.",
    subcommands = {KeysCommand.PublicKey.class, KeysCommand.Generate.class, KeysCommand.ListKeys.class})
public class KeysCommand {

  @Command(name = "list", description = "Show the keys a PKCS#11 token holds.")
  static class ListKeys implements Callable<Integer> {
    @Option(names = "--key", required = true, description = "pkcs11:token=...?module-path=...")
    String key;

    @Override
    public Integer call() {
      try {
        var entries = dev.airseal.signing.pkcs11.Pkcs11Signer.list(dev.airseal.signing.pkcs11.Pkcs11Uri.parse(key));
        System.out.printf("%-24s %-6s %5s %-8s %s%n", "LABEL", "TYPE", "BITS", "PRIVATE", "CERTIFICATE");
        for (var e : entries) {
          System.out.printf("%-24s %-6s %5d %-8s %s%n", e.label(), e.keyType(), e.bits(), e.privateKey() ? "yes" : "no", e.certificate() ? "yes" : "no");
        }
        return 0;
      } catch (Exception e) {
        System.err.println("error: " + e.getMessage());
        return 1;
      }
    }
  }

  @Command(
      name = "generate",
      description = "Create a key: in a file (cosign's encrypted format, password from COSIGN_PASSWORD"
          + " or a prompt, public key next to it), inside a PKCS#11 token, or in AWS KMS.")
  static class Generate implements Callable<Integer> {
    @Option(names = "--key", required = true, description = "cosign.key, pkcs11:..., awskms://...")
    String key;

    @Option(names = "--algorithm", defaultValue = "PKIX_ECDSA_P256_SHA_256",
        description = "PKIX_ECDSA_P256_SHA_256, PKIX_ECDSA_P384_SHA_384, PKIX_RSA_PKCS1V15_2048_SHA256, ...")
    dev.airseal.signing.SignatureAlgorithm algorithm;

    @Override
    public Integer call() {
      try {
        Signer s = Signers.generate(key, algorithm);
        System.err.println("created " + algorithm + " key " + Signers.redact(key));
        System.out.print(KeyFiles.publicKeyPem(s.publicKey()));
        return 0;
      } catch (Exception e) {
        System.err.println("error: " + e.getMessage());
        return 1;
      }
    }
  }

  @Command(name = "public-key", description = "Print (or write) the PEM public key of any signer.")
  static class PublicKey implements Callable<Integer> {
    @Option(names = "--key", required = true, description = "PEM file, pkcs11:..., awskms://...")
    String key;

    @Option(names = "--outfile", description = "Write the PEM here instead of standard output.")
    Path outfile;

    @Override
    public Integer call() {
      try {
        Signer s = Signers.fromUri(key);
        String pem = KeyFiles.publicKeyPem(s.publicKey());
        if (outfile != null) {
          Files.writeString(outfile, pem, StandardCharsets.US_ASCII);
        } else {
          System.out.print(pem);
        }
        return 0;
      } catch (Exception e) {
        System.err.println("error: " + e.getMessage());
        return 1;
      }
    }
  }
}
