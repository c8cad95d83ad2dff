package dev.airseal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "tuf",
    description = "The site's TUF repository (/tuf/): status, initial root, export, root rotation.",
    subcommands = {TufCommand.Status.class, TufCommand.Root.class, TufCommand.Export.class, TufCommand.RotateRoot.class})
public class TufCommand extends ServiceCommandGroup {
  private static final ObjectMapper JSON = new ObjectMapper();


  @Command(name = "status", description = "Versions of each role and the root and online key IDs.")
  static class Status implements Callable<Integer> {
    @ParentCommand TufCommand parent;

    @Override
    public Integer call() {
      try {
        System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(parent.client().getJson("api/v1/tuf/status")));
        return 0;
      } catch (Exception e) {
        return fail(e);
      }
    }
  }

  @Command(name = "root", description = "Write a root version (default 1), the file clients are initialised with.")
  static class Root implements Callable<Integer> {
    @ParentCommand TufCommand parent;

    @Option(names = "--version", defaultValue = "1")
    int version;

    @Option(names = {"-o", "--output"}, required = true)
    Path output;

    @Override
    public Integer call() {
      try {
        Files.write(output, parent.client().getBytes("tuf/" + version + ".root.json"));
        return 0;
      } catch (Exception e) {
        return fail(e);
      }
    }
  }

  @Command(name = "export", description = "The whole repository as a tar.gz (entries under repository/), "
      + "or with --trustroot a policy-controller TrustRoot carrying it as mirrorFS.")
  static class Export implements Callable<Integer> {
    @ParentCommand TufCommand parent;

    @Option(names = {"-o", "--output"}, required = true)
    Path output;

    @Option(names = "--trustroot", description = "Write a TrustRoot resource of this name instead of the archive.")
    String trustRoot;

    @Override
    public Integer call() {
      try {
        byte[] tgz = parent.client().getBytes("api/v1/tuf/export");
        if (trustRoot == null) {
          Files.write(output, tgz);
          return 0;
        }
        // The root in the resource is the latest: policy-controller starts its client from it and
        // finds nothing newer in the archive taken at the same moment.
        byte[] root = parent.client().getBytes("tuf/root.json");
        Base64.Encoder b64 = Base64.getEncoder();
        String yaml = "apiVersion: policy.sigstore.dev/v1alpha1\n"
            + "kind: TrustRoot\n"
            + "metadata:\n"
            + "  name: " + trustRoot + "\n"
            + "spec:\n"
            + "  repository:\n"
            + "    root: " + b64.encodeToString(root) + "\n"
            + "    mirrorFS: " + b64.encodeToString(tgz) + "\n"
            + "    targets: targets\n";
        Files.writeString(output, yaml, StandardCharsets.UTF_8);
        return 0;
      } catch (Exception e) {
        return fail(e);
      }
    }
  }

  @Command(name = "rotate-root", description = "A new root version with a new root key, signed by the old and the new.")
  static class RotateRoot implements Callable<Integer> {
    @ParentCommand TufCommand parent;

    @Option(names = "--reason", required = true)
    String reason;

    @Option(names = "--root-key", description = "Key URI of the new root key (default: a new software key in the data directory).")
    String rootKey;

    @Option(names = "--online-key", description = "Key URI of a new online key (default: keep the current one).")
    String onlineKey;

    @Override
    public Integer call() {
      try {
        ObjectNode body = JSON.createObjectNode().put("reason", reason);
        if (rootKey != null) {
          body.put("rootKey", rootKey);
        }
        if (onlineKey != null) {
          body.put("onlineKey", onlineKey);
        }
        JsonNode st = JSON.readTree(parent.client().post("api/v1/tuf/rotate-root", body.toString()));
        System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(st));
        return 0;
      } catch (Exception e) {
        return fail(e);
      }
    }
  }
}
