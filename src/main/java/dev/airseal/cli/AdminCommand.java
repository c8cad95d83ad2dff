package dev.airseal.cli;

import dev.airseal.backup.BackupCipher;
import dev.airseal.backup.BackupException;
import dev.airseal.backup.Restore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "admin",
    description = "Operate the appliance: online backup, restore onto a stopped install, console login links.",
    subcommands = {AdminCommand.Backup.class, AdminCommand.RestoreCmd.class, AdminCommand.ConsoleLink.class})
public class AdminCommand extends ServiceCommandGroup {

  @Command(name = "backup", description = "Take an online backup of the running service (database and key files)"
      + " into one archive; the write token comes from AIRSEAL_API_WRITE_TOKEN.")
  static class Backup implements Callable<Integer> {
    @ParentCommand AdminCommand parent;

    @Option(names = {"-o", "--output"}, required = true, description = "Archive to write (must not exist).")
    Path output;

    @Mixin BackupPassphraseFlags passphraseFlags;

    @Override
    public Integer call() {
      Optional<char[]> passphrase = Optional.empty();
      try {
        if (Files.exists(output)) {
          throw new IOException(output + " exists: choose a new file name");
        }
        passphrase = passphraseFlags.read(true);
        Path partial = output.resolveSibling(output.getFileName() + ".partial");
        HttpRequest.Builder req = HttpRequest.newBuilder(parent.base().resolve("api/v1/admin/backup"))
            .timeout(Duration.ofHours(1))
            .header("X-Airseal-Actor", System.getProperty("user.name", "cli"))
            .POST(HttpRequest.BodyPublishers.noBody());
        String token = System.getenv("AIRSEAL_API_WRITE_TOKEN");
        if (token != null && !token.isEmpty()) {
          req.header("Authorization", "Bearer " + token);
        }
        HttpResponse<InputStream> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
            .send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
          String body;
          try (InputStream in = r.body()) {
            body = new String(in.readNBytes(8192), StandardCharsets.UTF_8);
          }
          String msg = body;
          try {
            msg = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).path("message").asText(body);
          } catch (IOException notJson) {
            // show the body as it came
          }
          throw new IOException("POST api/v1/admin/backup: HTTP " + r.statusCode() + ": " + msg.strip());
        }
        // Written with owner-only permissions: the archive holds private keys.
        Files.deleteIfExists(partial);
        Files.createFile(partial, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        MessageDigest fileSha = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(r.body(), sha);
            OutputStream file = new DigestOutputStream(Files.newOutputStream(partial), fileSha);
            OutputStream out = passphrase.isPresent() ? BackupCipher.encrypt(file, passphrase.get()) : file) {
          in.transferTo(out);
        } catch (IOException | RuntimeException e) {
          Files.deleteIfExists(partial);
          throw e;
        }
        String got = HexFormat.of().formatHex(sha.digest());
        String expected = r.headers().firstValue("X-Airseal-Backup-Sha256").orElse("");
        if (!got.equals(expected)) {
          Files.deleteIfExists(partial);
          throw new IOException("the archive received has SHA-256 " + got + ", the service sent " + expected);
        }
        Files.move(partial, output);
        System.out.println(HexFormat.of().formatHex(fileSha.digest()) + "  " + output);
        System.err.println("backup written to " + output + " (" + Files.size(output) + " bytes"
            + (passphrase.isPresent() ? ", encrypted; the archive inside has SHA-256 " + got
                + " as the service's audit event records it" : "")
            + "); keep its SHA-256 with it and pass it to admin restore --sha256");
        return 0;
      } catch (Exception e) {
        return fail(e);
      } finally {
        passphrase.ifPresent(p -> Arrays.fill(p, '\0'));
      }
    }
  }

  @Command(name = "restore", description = "Restore an archive from admin backup onto this host's stopped install"
      + " (data directory and database from its configuration). Replaced files are kept under"
      + " <data-dir>/pre-restore-<time>/.")
  static class RestoreCmd implements Callable<Integer> {
    @Option(names = "--archive", required = true, description = "Archive written by admin backup.")
    Path archive;

    @Option(names = "--sha256", description = "The archive's SHA-256 as admin backup printed it; refuse any other.")
    String sha256;

    @Option(names = "--force", description = "Replace an install whose log already has entries.")
    boolean force;

    @Mixin BackupPassphraseFlags passphraseFlags;

    @Override
    public Integer call() {
      Optional<char[]> passphrase = Optional.empty();
      try {
        passphrase = passphraseFlags.read(false);
        Config c = ConfigProvider.getConfig();
        Restore.Target target = new Restore.Target(
            Path.of(c.getValue("airseal.data-dir", String.class)),
            c.getValue("quarkus.datasource.h2.jdbc.url", String.class),
            c.getOptionalValue("quarkus.datasource.h2.username", String.class).orElse(""),
            c.getOptionalValue("quarkus.datasource.h2.password", String.class).orElse(""));
        Restore.Result r = Restore.run(archive, target, Optional.ofNullable(sha256), force,
            System.getProperty("user.name", "cli"), passphrase);
        System.out.println("restored " + archive + " (sha256 " + r.archiveSha256() + ", made "
            + r.info().path("createdAt").asText() + "): " + r.files() + " files, a log of "
            + r.logEntries() + " entries");
        System.out.println("the files it replaced are in " + r.setAside());
        System.out.println("start the service and check: airseal log info; airseal trust show");
        return 0;
      } catch (BackupException | IOException e) {
        return fail(e);
      } finally {
        passphrase.ifPresent(p -> Arrays.fill(p, '\0'));
      }
    }
  }

  @Command(name = "console-link", description = "Print a one-time link (valid 2 minutes) that logs a browser"
      + " into /console; the write token comes from AIRSEAL_API_WRITE_TOKEN.")
  static class ConsoleLink implements Callable<Integer> {
    @ParentCommand AdminCommand parent;

    @Override
    public Integer call() {
      try {
        var reply = parent.client().json().readTree(parent.client().post("api/v1/admin/console-login", "{}"));
        System.out.println(parent.base().resolve(reply.path("path").asText().substring(1)));
        System.err.println("single use, expires " + reply.path("expiresAt").asText());
        return 0;
      } catch (Exception e) {
        return fail(e);
      }
    }
  }

  URI base() {
    String u = url != null ? url
        : ConfigProvider.getConfig().getOptionalValue("airseal.api.url", String.class).orElse("http://127.0.0.1:8080");
    return URI.create(u.endsWith("/") ? u : u + "/");
  }
}
