package dev.airseal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.bundle.BundleContent;
import dev.airseal.bundle.BundleCreator;
import dev.airseal.bundle.BundleFormatException;
import dev.airseal.bundle.BundleLimits;
import dev.airseal.bundle.BundleReader;
import dev.airseal.bundle.BundleWriter;
import dev.airseal.bundle.EvidenceCheck;
import dev.airseal.bundle.OpenedBundle;
import dev.airseal.bundle.TransferKey;
import dev.airseal.bundle.TransferRejectedException;
import dev.airseal.bundle.TransferStatement;
import dev.airseal.oci.Digest;
import dev.airseal.oci.ImageReference;
import dev.airseal.oci.RegistryClient;
import dev.airseal.signing.Signer;
import dev.airseal.signing.Signers;
import dev.airseal.store.Revocation;
import dev.airseal.trust.TrustedRoot;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bundle create|inspect|import|keys}: the air-gap transfer (docs/bundle-format.md). */
@Command(
    name = "bundle",
    description = "Air-gap transfer bundles: create (connected side), inspect, import (disconnected side).",
    subcommands = {BundleCommand.Create.class, BundleCommand.Inspect.class, BundleCommand.Import.class,
        BundleCommand.Keys.class})
public class BundleCommand extends ServiceCommandGroup {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Command(name = "create", description = {
      "Collect images' signatures, attestations and Sigstore bundles from a registry (or cosign save",
      "directories), sign the transfer statement with the transfer key, write the bundle.",
      "The producer state file (--state) holds the last sequence and bundle digest; it is created",
      "on first use and updated after each bundle is written."})
  static class Create implements Callable<Integer> {
    @Parameters(description = "Image references (tags are resolved once and recorded).")
    List<String> images = new ArrayList<>();

    @Option(names = "--images-from", description = "File with one image reference per line (# comments).")
    Path imagesFrom;

    @Option(names = "--cosign-dir", description = "REPOSITORY=DIR: an image saved by 'cosign save --dir DIR', repeatable.")
    List<String> cosignDirs = new ArrayList<>();

    @Option(names = "--include-images", description = "Carry the images themselves too (for 'import --push-to').")
    boolean includeImages;

    @Option(names = "--key", required = true, description = "Transfer key: file, pkcs11:..., awskms://...")
    String key;

    @Option(names = "--producer", required = true, description = "Producer name the site trusts the key for.")
    String producer;

    @Option(names = "--state", required = true, description = "Producer state file (sequence, last bundle digest).")
    Path state;

    @Option(names = {"-o", "--output"}, required = true, description = "Bundle file to write.")
    Path output;

    @Option(names = "--gzip", description = "Compress the bundle with gzip.")
    boolean gzip;

    @Option(names = "--expires-in", defaultValue = "P14D", description = "Lifetime (default: ${DEFAULT-VALUE}).")
    Duration expiresIn;

    @Option(names = "--signer-key", description = "Public key (PEM file) the images are signed with, repeatable.")
    List<Path> signerKeys = new ArrayList<>();

    @ArgGroup(exclusive = false, multiplicity = "0..*")
    List<Identity> identities = new ArrayList<>();

    static class Identity {
      @Option(names = "--certificate-identity", required = true, description = "Keyless signer identity (SAN).")
      String identity;

      @Option(names = "--certificate-oidc-issuer", required = true, description = "Its OIDC issuer.")
      String issuer;
    }

    @Option(names = "--insecure-ignore-tlog", description = "Signatures carry no log evidence (cosign --tlog-upload=false).")
    boolean ignoreTlog;

    @Option(names = "--trusted-root", description = "trusted_root.json to carry (merged into the site's).")
    Path trustedRoot;

    @Option(names = "--policy", description = "Kyverno policy YAML to carry, repeatable.")
    List<Path> policies = new ArrayList<>();

    @Option(names = "--revoke", description = "KIND:VALUE[:REASON] (digest, key, identity), repeatable.")
    List<String> revocations = new ArrayList<>();

    @Option(names = "--rotate-transfer-key", description = "Public key(s) (PEM) that replace this producer's trusted transfer keys after import.")
    List<Path> rotateTo = new ArrayList<>();

    @Mixin RegistryFlags registry;

    @Override
    public Integer call() throws Exception {
      BundleContent c = new BundleContent();
      BundleCreator creator = new BundleCreator(c, System.err);
      List<String> refs = new ArrayList<>(images);
      if (imagesFrom != null) {
        for (String line : Files.readAllLines(imagesFrom)) {
          if (!line.isBlank() && !line.strip().startsWith("#")) {
            refs.add(line.strip());
          }
        }
      }
      RegistryClient client = new RegistryClient(registry.options());
      int n = 0;
      for (String r : refs) {
        System.err.printf("[%d/%d] %s%n", ++n, refs.size() + cosignDirs.size(), r);
        creator.fromRegistry(client, ImageReference.parse(r), includeImages);
      }
      for (String cd : cosignDirs) {
        int eq = cd.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException("--cosign-dir takes REPOSITORY=DIR, e.g. registry.example/app=./saved");
        }
        System.err.printf("[%d/%d] %s%n", ++n, refs.size() + cosignDirs.size(), cd);
        creator.fromCosignDir(Path.of(cd.substring(eq + 1)), cd.substring(0, eq));
      }
      for (Path k : signerKeys) {
        c.signer(new TransferStatement.SignerSpec(Optional.of(TransferKey.toPem(TransferKey.parsePem(Files.readString(k)))),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), ignoreTlog));
      }
      for (Identity i : identities) {
        c.signer(new TransferStatement.SignerSpec(Optional.empty(), Optional.of(i.identity), Optional.empty(),
            Optional.of(i.issuer), Optional.empty(), ignoreTlog));
      }
      if (trustedRoot != null) {
        TrustedRoot tr = TrustedRoot.read(trustedRoot);
        c.trustedRoot(Files.readAllBytes(trustedRoot), tr.mediaType());
      }
      for (Path p : policies) {
        c.policy(p.getFileName().toString(), Files.readAllBytes(p));
      }
      for (String r : revocations) {
        String[] parts = r.split(":", 3);
        if (parts.length < 2) {
          throw new IllegalArgumentException("--revoke takes KIND:VALUE[:REASON]");
        }
        c.revoke(new Revocation(Revocation.Kind.fromWire(parts[0]), parts[1], parts.length > 2 ? parts[2] : ""));
      }
      for (Path p : rotateTo) {
        c.transferKey(TransferKey.toPem(TransferKey.parsePem(Files.readString(p))));
      }
      long sequence = 1;
      Optional<Digest> previous = Optional.empty();
      if (Files.exists(state)) {
        JsonNode s = JSON.readTree(state.toFile());
        if (!producer.equals(s.path("producer").asText())) {
          throw new IllegalArgumentException(state + " is the state of producer " + s.path("producer").asText());
        }
        sequence = s.path("sequence").asLong() + 1;
        previous = Optional.of(Digest.parse(s.path("bundleDigest").asText()));
      }
      Instant now = Instant.now();
      TransferStatement st = c.statement(producer, sequence, now, now.plus(expiresIn), previous);
      Signer signer = Signers.fromUri(key);
      Path tmp = output.resolveSibling(output.getFileName() + ".tmp");
      BundleWriter.Written w;
      try (OutputStream out = Files.newOutputStream(tmp)) {
        w = BundleWriter.write(c, st, signer, out, gzip);
      }
      Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING);
      ObjectNode ns = JSON.createObjectNode().put("producer", producer).put("sequence", sequence)
          .put("bundleDigest", w.bundleDigest().toString()).put("created", now.toString());
      Path stmp = state.resolveSibling(state.getFileName() + ".tmp");
      Files.writeString(stmp, ns.toPrettyString());
      Files.move(stmp, state, StandardCopyOption.REPLACE_EXISTING);
      System.out.printf("wrote %s: producer %s sequence %d, %d images, %d blobs (%.1f MB), bundle %s, expires %s%n",
          output, producer, sequence, st.images().size(), st.blobs().size(), Files.size(output) / 1e6,
          w.bundleDigest(), st.expires());
      return 0;
    }
  }

  @Command(name = "inspect", description = {
      "Verify a bundle's transfer signature and every blob, print what it carries; with",
      "--trusted-root also verify the evidence per image. Nothing is imported."})
  static class Inspect implements Callable<Integer> {
    @Parameters(index = "0", description = "Bundle file.")
    Path file;

    @Option(names = "--transfer-key", required = true, description = "PRODUCER=PEM file of a trusted transfer key, repeatable.")
    List<String> keys;

    @Option(names = "--trusted-root", description = "Site trust root to verify the evidence against.")
    Path trustedRoot;

    @Override
    public Integer call() throws Exception {
      List<TransferKey> trusted = new ArrayList<>();
      for (String k : keys) {
        int eq = k.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException("--transfer-key takes PRODUCER=FILE");
        }
        trusted.add(new TransferKey(k.substring(0, eq), TransferKey.parsePem(Files.readString(Path.of(k.substring(eq + 1))))));
      }
      OpenedBundle b;
      try (InputStream in = Files.newInputStream(file)) {
        b = BundleReader.open(in, BundleLimits.defaults(), trusted).readBlobs(Optional.empty());
      } catch (BundleFormatException | TransferRejectedException e) {
        System.err.println("refused: " + e.getMessage());
        return 2;
      }
      TransferStatement s = b.statement();
      System.out.printf("bundle %s (file %s, %.1f MB)%n", b.bundleDigest(), b.fileDigest(), b.fileSize() / 1e6);
      System.out.printf("producer %s, sequence %d, previous %s%n", s.producer(), s.sequence(),
          s.previous().map(Object::toString).orElse("none"));
      System.out.printf("created %s, expires %s, signed by transfer key %s%n", s.created(), s.expires(), b.signer().keyId());
      System.out.printf("%d blobs, %d images, %d signers, %d policies, %d revocations%s%s%n", s.blobs().size(),
          s.images().size(), s.signers().size(), s.policies().size(), s.revocations().size(),
          s.trustedRoot().isPresent() ? ", a trust root" : "", s.transferKeys().isEmpty() ? "" : ", a transfer-key rotation");
      Optional<EvidenceCheck.Result> check = Optional.empty();
      if (trustedRoot != null) {
        TrustedRoot site = TrustedRoot.read(trustedRoot);
        TrustedRoot root = s.trustedRoot().isPresent()
            ? mergeForInspect(site, TrustedRoot.parse(b.blob(s.trustedRoot().get()).orElseThrow())) : site;
        check = Optional.of(EvidenceCheck.verify(b, root, Instant.now(), Runtime.getRuntime().availableProcessors()));
      }
      int failed = 0;
      for (int i = 0; i < s.images().size(); i++) {
        TransferStatement.Image im = s.images().get(i);
        String verdict = "";
        if (check.isPresent()) {
          EvidenceCheck.ImageReport r = check.get().images().get(i);
          verdict = r.accepted() ? "  verified (" + r.signatures() + " sig, " + r.attestations() + " att)" : "  FAILED";
          failed += r.accepted() ? 0 : 1;
          System.out.printf("  %s@%s%s%n", im.repository(), im.digest(), verdict);
          r.problems().forEach(p -> System.out.println("      " + p));
        } else {
          System.out.printf("  %s@%s tags %s%s%s, %d referrers%s%n", im.repository(), im.digest(), im.tags(),
              im.signatures().isPresent() ? ", signatures" : "", im.attestations().isPresent() ? ", attestations" : "",
              im.referrers().size(), im.manifests().isEmpty() ? "" : ", image carried");
        }
      }
      return failed == 0 ? 0 : 1;
    }

    private static TrustedRoot mergeForInspect(TrustedRoot site, TrustedRoot carried) {
      List<dev.airseal.trust.TlogInstance> tlogs = new ArrayList<>(site.tlogs());
      carried.tlogs().stream().filter(t -> site.tlogByLogId(t.logId()).isEmpty()).forEach(tlogs::add);
      List<dev.airseal.trust.CertificateAuthority> cas = new ArrayList<>(site.certificateAuthorities());
      cas.addAll(carried.certificateAuthorities());
      List<dev.airseal.trust.CtLog> ct = new ArrayList<>(site.ctlogs());
      carried.ctlogs().stream().filter(x -> site.ctlogByLogId(x.logId()).isEmpty()).forEach(ct::add);
      List<dev.airseal.trust.CertificateAuthority> tsa = new ArrayList<>(site.timestampAuthorities());
      tsa.addAll(carried.timestampAuthorities());
      return new TrustedRoot(site.mediaType(), tlogs, cas, ct, tsa);
    }
  }

  @Command(name = "import", description = {
      "Upload a bundle to the running service, which verifies and imports it (all or nothing).",
      "Needs the write token in AIRSEAL_API_WRITE_TOKEN when the service requires one.",
      "Exit status: 0 imported, 0 already imported (no-op), 2 refused, 1 other errors."})
  static class Import implements Callable<Integer> {
    @picocli.CommandLine.ParentCommand BundleCommand parent;

    @Parameters(index = "0", description = "Bundle file (e.g. on the USB stick).")
    Path file;

    @Option(names = "--strict", description = "Refuse the whole bundle if any image's evidence fails to verify.")
    boolean strict;

    @Option(names = "--push-to", description = "Also push the carried images and signatures to this registry (host[:port]).")
    String pushTo;

    @Option(names = "--allow-http-registry", description = "--push-to registry speaks plain HTTP.")
    boolean allowHttp;

    @Option(names = "--json", description = "Print the service's report as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      String base = parent.url != null ? parent.url : org.eclipse.microprofile.config.ConfigProvider.getConfig()
          .getOptionalValue("airseal.api.url", String.class).orElse("http://127.0.0.1:8080");
      String q = "?strict=" + strict + "&allowHttpRegistry=" + allowHttp
          + (pushTo != null ? "&pushTo=" + URLEncoder.encode(pushTo, StandardCharsets.UTF_8) : "");
      HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base.replaceAll("/$", "") + "/api/v1/bundles" + q))
          .timeout(Duration.ofHours(2))
          .header("Content-Type", "application/octet-stream")
          .header("X-Airseal-Actor", System.getProperty("user.name", "cli"))
          .POST(HttpRequest.BodyPublishers.ofFile(file));
      String token = System.getenv("AIRSEAL_API_WRITE_TOKEN");
      if (token != null && !token.isEmpty()) {
        req.header("Authorization", "Bearer " + token);
      }
      HttpResponse<String> r;
      try {
        // HTTP/1.1: the service's plain listener does not upgrade to h2c (NoCleartextHttp2), so
        // the upgrade request would only be ignored.
        r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build()
            .send(req.build(), HttpResponse.BodyHandlers.ofString());
      } catch (java.io.IOException e) {
        return fail(new java.io.IOException("cannot reach the service at " + base + ": " + e, e));
      }
      JsonNode rep;
      try {
        rep = JSON.readTree(r.body());
      } catch (java.io.IOException e) {
        return fail(new java.io.IOException("HTTP " + r.statusCode() + ": " + r.body()));
      }
      if (json) {
        System.out.println(rep.toPrettyString());
      } else {
        print(rep);
      }
      if (r.statusCode() == 422) {
        return 2;
      }
      return r.statusCode() == 200 ? 0 : fail(new java.io.IOException("HTTP " + r.statusCode() + ": "
          + rep.path("message").asText(r.body())));
    }

    static void print(JsonNode rep) {
      System.out.printf("%s: %s%n", rep.path("outcome").asText(), rep.path("message").asText());
      if (rep.has("producer")) {
        System.out.printf("producer %s, sequence %d, bundle %s%n", rep.path("producer").asText(),
            rep.path("sequence").asLong(), rep.path("bundleDigest").asText());
      }
      if (rep.has("logIndex")) {
        System.out.printf("logged at index %d; evidence version %d%s%n", rep.path("logIndex").asLong(),
            rep.path("evidenceVersion").asLong(), rep.has("trustRootVersion")
                ? "; trust root now version " + rep.path("trustRootVersion").asInt() : "");
      }
      rep.path("notes").forEach(n -> System.out.println("note: " + n.asText()));
      for (JsonNode i : rep.path("images")) {
        System.out.printf("  %-9s %s@%s (%d sig, %d att)%n", i.path("accepted").asBoolean() ? "imported" : "EXCLUDED",
            i.path("repository").asText(), i.path("digest").asText(), i.path("signatures").asInt(),
            i.path("attestations").asInt());
        i.path("problems").forEach(p -> System.out.println("      " + p.asText()));
      }
    }
  }

  @Command(name = "keys", description = {"List trusted transfer keys; add or retire one (audited, with a reason)."})
  static class Keys implements Callable<Integer> {
    @picocli.CommandLine.ParentCommand BundleCommand parent;

    @Option(names = "--add", description = "PEM public key file to trust.")
    Path add;

    @Option(names = "--producer", description = "Producer of the key to add.")
    String producer;

    @Option(names = "--retire", description = "Key id (hex SHA-256 of the key) to retire.")
    String retire;

    @Option(names = "--reason", description = "Why (required for --add and --retire; audited).")
    String reason;

    @Override
    public Integer call() {
      try {
        LogClient c = parent.client();
        if (add != null) {
          ObjectNode body = JSON.createObjectNode().put("producer", producer).put("reason", reason)
              .put("publicKey", Files.readString(add));
          System.out.println(c.post("api/v1/bundles/transfer-keys", body.toString()));
        } else if (retire != null) {
          System.out.println(c.post("api/v1/bundles/transfer-keys/" + retire + "/retire",
              JSON.createObjectNode().put("reason", reason).toString()));
        } else {
          for (JsonNode k : c.getJson("api/v1/bundles/transfer-keys")) {
            System.out.printf("%s  %-20s %s  added %s by %s: %s%n", k.path("keyId").asText(),
                k.path("producer").asText(), k.path("active").asBoolean() ? "active " : "retired",
                k.path("addedAt").asText(), k.path("addedBy").asText(), k.path("reason").asText());
          }
        }
        return 0;
      } catch (Exception e) {
        return fail(e);
      }
    }
  }
}
