package dev.airseal.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airseal.signing.Signers;
import dev.airseal.signing.cosign.BlobSigner;
import dev.airseal.signing.cosign.InTotoStatement;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "attest-blob", description = "Attest a file: in-toto statement in DSSE, logged, in a Sigstore bundle.")
public class AttestBlobCommand implements Callable<Integer> {
  @Option(names = "--key", required = true)
  String key;

  @Option(names = {"-y", "--yes"})
  boolean yes;

  @Option(names = "--type", defaultValue = "custom")
  String type;

  @Option(names = "--predicate", required = true, description = "Predicate JSON file.")
  Path predicate;

  @Option(names = "--bundle", required = true, description = "Write the Sigstore bundle here.")
  Path bundle;

  @Mixin RekorFlags rekorFlags;

  @Parameters(index = "0", paramLabel = "FILE")
  Path file;

  @Override
  public Integer call() {
    try {
      var predicateJson = new ObjectMapper().readTree(Files.readString(predicate, StandardCharsets.UTF_8));
      var b = BlobSigner.attestBlob(file, Signers.fromUri(key), InTotoStatement.predicateType(type), predicateJson, rekorFlags.client());
      Files.writeString(bundle, b.toString(), StandardCharsets.UTF_8);
      System.err.println("Wrote bundle to file " + bundle);
      return 0;
    } catch (Exception e) {
      System.err.println("error: " + e.getMessage());
      return 1;
    }
  }
}
