package dev.airseal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airseal.log.ConsistencyProof;
import dev.airseal.log.Hex;
import dev.airseal.log.LogProofException;
import dev.airseal.log.checkpoint.Checkpoint;
import dev.airseal.log.checkpoint.Checkpoints;
import dev.airseal.log.note.NoteException;
import dev.airseal.log.note.NoteVerifier;
import dev.airseal.log.rekor.RekorEntryVerifier;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.eclipse.microprofile.config.ConfigProvider;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "log",
    description = "Read and verify the transparency log of a running Airseal.",
    subcommands = {LogCommand.Info.class, LogCommand.Get.class, LogCommand.Proof.class})
public class LogCommand {
  static final int VERIFY_FAILED = 1;

  @Option(
      scope = ScopeType.INHERIT,
      names = {"--url", "--rekor-url"},
      description = "Base URL of the service (default: airseal.api.url, http://127.0.0.1:8080).")
  String url;

  @Option(
      scope = ScopeType.INHERIT,
      names = "--public-key",
      description = "PEM file of the log's public key to pin; without it the server's key is trusted.")
  Path publicKey;

  @Option(scope = ScopeType.INHERIT, names = "--format", defaultValue = "text", description = "text or json")
  String format;

  LogClient client() {
    String u =
        url != null
            ? url
            : ConfigProvider.getConfig()
                .getOptionalValue("airseal.api.url", String.class)
                .orElse("http://127.0.0.1:8080");
    return new LogClient(u);
  }

  /** The log's info with its checkpoint verified; the key name is the origin's host part. */
  record VerifiedInfo(JsonNode info, Checkpoint checkpoint, PublicKey key, String hostname) {}

  VerifiedInfo verifiedInfo(LogClient c) throws IOException, LogProofException {
    JsonNode info = c.getJson("api/v1/log");
    String treeId = info.path("treeID").asText();
    PublicKey key = c.logKey(publicKey, treeId);
    String note = info.path("signedTreeHead").asText();
    String origin = note.substring(0, Math.max(0, note.indexOf('\n')));
    String suffix = " - " + treeId;
    if (!origin.endsWith(suffix)) {
      throw new LogProofException("checkpoint origin '" + origin + "' does not name tree " + treeId);
    }
    String host = origin.substring(0, origin.length() - suffix.length());
    Checkpoint cp;
    try {
      cp = Checkpoints.verify(note, NoteVerifier.fromPublicKey(host, key), origin);
    } catch (NoteException e) {
      throw new LogProofException("checkpoint: " + e.getMessage(), e);
    }
    if (cp.size() != info.path("treeSize").asLong()
        || !Hex.encode(cp.rootHash()).equals(info.path("rootHash").asText())) {
      throw new LogProofException("log info does not match its signed checkpoint");
    }
    return new VerifiedInfo(info, cp, key, host);
  }

  static int fail(Exception e) {
    System.err.println("error: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
    return e instanceof LogProofException ? VERIFY_FAILED : 2;
  }

  @Command(name = "info", description = "Show the tree size and root, verifying the checkpoint.")
  static class Info implements Callable<Integer> {
    @ParentCommand LogCommand parent;

    @Override
    public Integer call() {
      try {
        VerifiedInfo v = parent.verifiedInfo(parent.client());
        if ("json".equals(parent.format)) {
          System.out.println(v.info().toPrettyString());
        } else {
          System.out.println("Verification Successful!");
          System.out.println("Tree Size: " + v.checkpoint().size());
          System.out.println("Root Hash: " + Hex.encode(v.checkpoint().rootHash()));
          System.out.println("Tree ID: " + v.info().path("treeID").asText());
          System.out.println("Origin: " + v.checkpoint().origin());
        }
        return 0;
      } catch (IOException | LogProofException e) {
        return fail(e);
      }
    }
  }

  @Command(name = "get", description = "Fetch an entry and verify its SET, inclusion proof and checkpoint.")
  static class Get implements Callable<Integer> {
    @ParentCommand LogCommand parent;

    static class Selector {
      @Option(names = "--uuid", required = true, description = "64- or 80-hex entry UUID")
      String uuid;

      @Option(names = "--log-index", required = true, description = "entry index")
      Long logIndex;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Selector selector;

    @Override
    public Integer call() {
      try {
        LogClient c = parent.client();
        VerifiedInfo v = parent.verifiedInfo(c);
        JsonNode entries =
            selector.uuid != null
                ? c.getJson("api/v1/log/entries/" + selector.uuid)
                : c.getJson("api/v1/log/entries?logIndex=" + selector.logIndex);
        new RekorEntryVerifier(v.key(), v.hostname()).verifyAll(entries);
        if ("json".equals(parent.format)) {
          System.out.println(entries.toPrettyString());
          return 0;
        }
        for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) entries::fields) {
          JsonNode body =
              c.json().readTree(java.util.Base64.getDecoder().decode(e.getValue().path("body").asText()));
          System.out.println("UUID: " + e.getKey());
          System.out.println("Index: " + e.getValue().path("logIndex").asLong());
          System.out.println(
              "IntegratedTime: "
                  + java.time.Instant.ofEpochSecond(e.getValue().path("integratedTime").asLong()));
          System.out.println("Kind: " + body.path("kind").asText() + " " + body.path("apiVersion").asText());
          System.out.println("Verified: SET, inclusion proof, checkpoint");
          System.out.println("Body: " + body);
        }
        return 0;
      } catch (IOException | LogProofException e) {
        return fail(e);
      }
    }
  }

  @Command(
      name = "proof",
      description = "Fetch and verify a consistency proof between two tree sizes.")
  static class Proof implements Callable<Integer> {
    @ParentCommand LogCommand parent;

    @Option(names = "--first-size", required = true, description = "the older tree size")
    long firstSize;

    @Option(names = "--last-size", description = "the newer tree size (default: current)")
    Long lastSize;

    @Option(
        names = "--first-root",
        description = "hex root hash you hold for the older size; the proof is checked against it")
    String firstRoot;

    @Override
    public Integer call() {
      try {
        LogClient c = parent.client();
        VerifiedInfo v = parent.verifiedInfo(c);
        long last = lastSize != null ? lastSize : v.checkpoint().size();
        JsonNode p =
            c.getJson(
                "api/v1/log/proof?firstSize=" + firstSize + "&lastSize=" + last + "&treeID="
                    + v.info().path("treeID").asText());
        List<byte[]> hashes = new ArrayList<>();
        for (JsonNode h : p.path("hashes")) {
          hashes.add(Hex.decode(h.asText()));
        }
        byte[] root2 = Hex.decode(p.path("rootHash").asText());
        boolean checkedLast = last == v.checkpoint().size();
        if (checkedLast && !MessageDigest.isEqual(root2, v.checkpoint().rootHash())) {
          throw new LogProofException("proof root differs from the signed checkpoint's root");
        }
        if (firstRoot != null) {
          ConsistencyProof.verify(firstSize, last, hashes, Hex.decode(firstRoot), root2);
        }
        if ("json".equals(parent.format)) {
          System.out.println(p.toPrettyString());
        } else {
          System.out.println("First Size: " + firstSize);
          System.out.println("Last Size: " + last);
          System.out.println("Root Hash: " + p.path("rootHash").asText());
          p.path("hashes").forEach(h -> System.out.println("  " + h.asText()));
          System.out.println(
              firstRoot != null
                  ? "Verified: consistent with the given first root"
                      + (checkedLast ? " and the signed checkpoint" : "")
                  : "Not verified against a first root (pass --first-root)");
        }
        return 0;
      } catch (IOException | LogProofException | IllegalArgumentException e) {
        return fail(e instanceof IllegalArgumentException ? new LogProofException(e.getMessage()) : e);
      }
    }
  }
}
