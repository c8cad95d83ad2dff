package dev.airseal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.log.rekor.RekorClient;
import dev.airseal.oci.ImageReference;
import dev.airseal.oci.RegistryClient;
import dev.airseal.signing.Signers;
import dev.airseal.signing.cosign.ImageAttester;
import dev.airseal.signing.cosign.InTotoStatement;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "attest",
    description = "Attest an image by digest as cosign does: in-toto statement in DSSE, logged, pushed as .att.")
public class AttestCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_PREDICATE = 16L << 20;

  @Option(names = "--key", required = true, description = "Key: PEM file, pkcs11:..., awskms://...")
  String key;

  @Option(names = {"-y", "--yes"}, description = "Accepted for cosign compatibility.")
  boolean yes;

  @Option(names = "--type", defaultValue = "custom",
      description = "cyclonedx, spdx, spdxjson, slsaprovenance, slsaprovenance1, openvex, vuln, link, custom, or a URI.")
  String type;

  @Option(names = "--predicate", required = true, description = "Predicate file (JSON; any text for custom).")
  Path predicate;

  @Mixin RekorFlags rekorFlags;

  @Option(names = "--upload", arity = "0..1", defaultValue = "true", fallbackValue = "true")
  boolean upload;

  @Option(names = "--output-dir", description = "Also write the signature manifest and its blobs into this OCI image layout directory.")
  Path outputDir;

  @Mixin RegistryFlags registryFlags;

  @Parameters(index = "0", paramLabel = "IMAGE")
  String image;

  @Override
  public Integer call() {
    try {
      String predicateType = InTotoStatement.predicateType(type);
      JsonNode body = readPredicate(predicateType);
      Optional<RekorClient> rekor = rekorFlags.client();
      ImageAttester.Result r =
          new ImageAttester(new RegistryClient(registryFlags.options()))
              .attest(ImageReference.parse(image), Signers.fromUri(key), predicateType, body, rekor, upload,
                  Optional.ofNullable(outputDir));
      r.entry().ifPresent(e -> System.err.println(
          "tlog entry created with index: " + e.entry().path("logIndex").asLong() + " (" + e.uuid() + ")"));
      if (upload) {
        System.err.println("Pushing attestation to: " + r.attTag());
      }
      return 0;
    } catch (Exception e) {
      System.err.println("error: " + e.getMessage());
      return 1;
    }
  }

  // cosign wraps a custom predicate as {"Data": <file text>, "Timestamp": <now>}; the typed ones
  // are JSON documents taken as they are.
  private JsonNode readPredicate(String predicateType) throws IOException {
    if (Files.size(predicate) > MAX_PREDICATE) {
      throw new IOException("predicate " + predicate + " exceeds " + MAX_PREDICATE + " bytes");
    }
    String text = Files.readString(predicate, StandardCharsets.UTF_8);
    if (predicateType.equals(InTotoStatement.predicateType("custom"))) {
      ObjectNode n = JSON.createObjectNode();
      n.put("Data", text);
      n.put("Timestamp", Instant.now().toString());
      return n;
    }
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new IOException("predicate " + predicate + " is not valid JSON: " + e.getMessage());
    }
  }

}
