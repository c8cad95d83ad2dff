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
import dev.airseal.bundle.CosignLayoutWriter;
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

/** {@code bundle create|inspect|import|keys|export|upstream-logs}: the air-gap transfer (docs/bundle-format.md). */
@Command(
    name = "bundle",
    description = "Air-gap transfer bundles: create (connected side), inspect, import (disconnected side).",
    subcommands = {BundleCommand.Create.class, BundleCommand.Inspect.class, BundleCommand.Import.class,
        BundleCommand.Keys.class, BundleCommand.Export.class, BundleCommand.UpstreamLogs.class})
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

    @Option(names = "--repository", paramLabel = "REGISTRY/REPOSITORY", description = {
        "Every tagged image of a repository, repeatable: its tags are listed (the registry's tags/list)",
        "and each resolved once; cosign's own tags (sha256-<hex>.sig/.att/.sbom) are left to the images they belong to."})
    List<String> repositories = new ArrayList<>();

    @Option(names = "--cosign-dir", paramLabel = "[REPOSITORY=]DIR", description = {
        "A directory written by 'cosign save --dir DIR', repeatable. REPOSITORY (registry/path) defaults to",
        "the one the signed payloads name."})
    List<String> cosignDirs = new ArrayList<>();

    @Option(names = "--include-images", description = "Carry the images themselves too (for 'import --push-to' and 'export --cosign-dir').")
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

    @Option(names = "--upstream-log", description = {"Rekor v1 API base URL of an upstream log, repeatable: carry its",
        "current checkpoint and a consistency proof from the checkpoint this producer carried last (--state)."})
    List<String> upstreamLogs = new ArrayList<>();

    @Option(names = "--upstream-log-from", description = {"URL=SIZE: prove that --upstream-log URL is consistent from",
        "SIZE (the size the site imported last, as its refusal says) instead."})
    List<String> upstreamFrom = new ArrayList<>();

    @Option(names = "--tuf-mirror", description = {"Upstream TUF repository directory as a mirror serves it (N.root.json,",
        "timestamp.json, N.snapshot.json, N.targets.json, targets/): carry its metadata and trusted_root.json target,",
        "verified at the site from airseal.bundle.tuf-root."})
    Path tufMirror;

    @Option(names = "--tuf-from-root-version", defaultValue = "1", description = {"First root version of the chain to carry",
        "(the version the site trusts, or 1; default: ${DEFAULT-VALUE})."})
    int tufFromRootVersion;

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
      for (String repo : repositories) {
        ImageReference r = ImageReference.parse(repo + ":latest");
        List<String> tags = BundleCreator.imageTags(client.tags(r));
        System.err.printf("%s: %d tags%n", r.context(), tags.size());
        tags.forEach(t -> refs.add(r.context() + ":" + t));
      }
      int n = 0;
      for (String r : refs) {
        System.err.printf("[%d/%d] %s%n", ++n, refs.size() + cosignDirs.size(), r);
        creator.fromRegistry(client, ImageReference.parse(r), includeImages);
      }
      for (String cd : cosignDirs) {
        int eq = cd.indexOf('=');
        Optional<String> repo = eq > 0 ? Optional.of(cd.substring(0, eq)) : Optional.empty();
        System.err.printf("[%d/%d] %s%n", ++n, refs.size() + cosignDirs.size(), cd);
        try {
          creator.fromCosignDir(Path.of(cd.substring(eq + 1)), repo, includeImages);
        } catch (java.io.IOException e) {
          return fail(e); // a refused layout: nothing written
        }
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
      ObjectNode carried = JSON.createObjectNode();
      if (Files.exists(state)) {
        JsonNode s = JSON.readTree(state.toFile());
        if (!producer.equals(s.path("producer").asText())) {
          throw new IllegalArgumentException(state + " is the state of producer " + s.path("producer").asText());
        }
        sequence = s.path("sequence").asLong() + 1;
        previous = Optional.of(Digest.parse(s.path("bundleDigest").asText()));
        if (s.path("checkpoints").isObject()) {
          carried = (ObjectNode) s.get("checkpoints");
        }
      }
      java.util.Map<String, Long> from = new java.util.HashMap<>();
      for (String f : upstreamFrom) {
        int eq = f.lastIndexOf('=');
        if (eq <= 0 || !upstreamLogs.contains(f.substring(0, eq))) {
          throw new IllegalArgumentException("--upstream-log-from takes URL=SIZE for a URL also given as --upstream-log");
        }
        from.put(f.substring(0, eq), Long.parseLong(f.substring(eq + 1)));
      }
      for (String u : upstreamLogs) {
        UpstreamLogCarrier.Carried got = UpstreamLogCarrier.carry(c, u,
            UpstreamLogCarrier.Carried.fromJson(u, carried.get(u)), Optional.ofNullable(from.get(u)), System.err);
        carried.set(u, got.toJson());
      }
      Instant now = Instant.now();
      if (tufMirror != null) {
        if (trustedRoot != null) {
          throw new IllegalArgumentException("--tuf-mirror carries the upstream trusted root; give it or --trusted-root");
        }
        try {
          TufMirrorCarrier.carry(c, tufMirror, tufFromRootVersion, now, System.err);
        } catch (java.io.IOException e) {
          return fail(e);
        }
      }
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
      if (!carried.isEmpty()) {
        ns.set("checkpoints", carried);
      }
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

    @Option(names = "--tuf-root", description = {"Upstream TUF root.json (as airseal.bundle.tuf-root) to verify carried",
        "TUF metadata from; the site's stored versions are not known here, so rollback is for the import to say."})
    Path tufRoot;

    @Override
    public Integer call() throws Exception {
      List<TransferKey> trusted = transferKeys(keys);
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
      System.out.printf("%d blobs, %d images, %d signers, %d policies, %d revocations%s%s%s%n", s.blobs().size(),
          s.images().size(), s.signers().size(), s.policies().size(), s.revocations().size(),
          s.trustedRoot().isPresent() ? ", a trust root" : "", s.transferKeys().isEmpty() ? "" : ", a transfer-key rotation",
          s.tuf().map(t -> ", upstream TUF metadata (" + t.roots().size() + " root version(s), target "
              + t.targetName() + "; verified at import)").orElse(""));
      Optional<EvidenceCheck.Result> check = Optional.empty();
      Optional<TrustedRoot> root = Optional.empty();
      int failed = 0;
      Optional<TrustedRoot> tufTarget = Optional.empty();
      if (s.tuf().isPresent() && tufRoot != null) {
        TransferStatement.UpstreamTuf t = s.tuf().get();
        List<byte[]> roots = new ArrayList<>();
        t.roots().forEach(d -> roots.add(b.blob(d).orElseThrow()));
        try {
          dev.airseal.tuf.client.TufVerifier.Result r = dev.airseal.tuf.client.TufVerifier.verify(
              new dev.airseal.tuf.client.TufVerifier.Trusted(Files.readAllBytes(tufRoot), 0, 0, 0),
              new dev.airseal.tuf.client.TufVerifier.Carried(roots, b.blob(t.timestamp()).orElseThrow(),
                  b.blob(t.snapshot()).orElseThrow(), b.blob(t.targets()).orElseThrow(), t.targetName(),
                  b.blob(t.target()).orElseThrow()), s.created());
          tufTarget = Optional.of(TrustedRoot.parse(r.target()));
          System.out.printf("upstream TUF: verified from %s at the bundle's creation time: root version %d,"
              + " timestamp %d, snapshot %d, targets %d%n", tufRoot, r.rootVersion(), r.timestamp(), r.snapshot(),
              r.targets());
        } catch (dev.airseal.tuf.client.TufException | dev.airseal.trust.TrustRootException e) {
          System.out.println("upstream TUF: FAILED: " + e.getMessage());
          failed++;
        }
      }
      if (trustedRoot != null) {
        TrustedRoot site = TrustedRoot.read(trustedRoot);
        root = Optional.of(s.trustedRoot().isPresent()
            ? mergeForInspect(site, TrustedRoot.parse(b.blob(s.trustedRoot().get()).orElseThrow())) : site);
        if (tufTarget.isPresent()) {
          root = Optional.of(mergeForInspect(root.get(), tufTarget.get()));
        }
        check = Optional.of(EvidenceCheck.verify(b, root.get(), Instant.now(),
            Runtime.getRuntime().availableProcessors()));
      }
      for (TransferStatement.UpstreamCheckpoint cp : s.checkpoints()) {
        String note = new String(b.blob(cp.checkpoint()).orElseThrow(), StandardCharsets.UTF_8);
        String verdict = "";
        if (root.isPresent()) {
          // Only the signature: whether it extends what the site saw is for the import to say.
          try {
            verdict = ", signed by " + dev.airseal.verify.UpstreamLogs.open(note, root.get(), cp.fetched()).logBaseUrl();
          } catch (dev.airseal.verify.UpstreamLogException e) {
            verdict = "  FAILED: " + e.getMessage();
            failed++;
          }
        }
        System.out.printf("upstream log %s: checkpoint \"%s\" size %s, fetched %s%s%s%n", cp.url(),
            note.lines().findFirst().orElse(""), note.lines().skip(1).findFirst().orElse("?"), cp.fetched(),
            cp.proof().isPresent() ? ", with a consistency proof" : "", verdict);
      }
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

    static TrustedRoot mergeForInspect(TrustedRoot site, TrustedRoot carried) {
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

  static List<TransferKey> transferKeys(List<String> keys) throws java.io.IOException {
    List<TransferKey> trusted = new ArrayList<>();
    for (String k : keys) {
      int eq = k.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--transfer-key takes PRODUCER=FILE");
      }
      trusted.add(new TransferKey(k.substring(0, eq), TransferKey.parsePem(Files.readString(Path.of(k.substring(eq + 1))))));
    }
    return trusted;
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

  @Command(name = "upstream-logs", description = {"List the last imported checkpoint of each upstream log: the size",
      "a producer's next bundle must prove consistency from (bundle create --upstream-log-from URL=SIZE)."})
  static class UpstreamLogs implements Callable<Integer> {
    @picocli.CommandLine.ParentCommand BundleCommand parent;

    @Override
    public Integer call() {
      try {
        for (JsonNode c : parent.client().getJson("api/v1/bundles/upstream-logs")) {
          System.out.printf("%s  size %d  root %s  via %s  (%s sequence %d, %s)%n", c.path("origin").asText(),
              c.path("treeSize").asLong(), c.path("rootHash").asText(), c.path("url").asText(),
              c.path("producer").asText(), c.path("sequence").asLong(), c.path("updatedAt").asText());
        }
        return 0;
      } catch (Exception e) {
        return fail(e);
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

  @Command(name = "export", description = {
      "Verify a bundle like inspect, then write for each image a directory that 'cosign load --dir'",
      "reads: the signatures and attestations exactly as carried, and the image if the bundle carries",
      "it. Nothing is imported; the service is not needed.",
      "Exit status: 0 written, 2 bundle refused (nothing written), 1 other errors or images excluded."})
  static class Export implements Callable<Integer> {
    @Parameters(index = "0", description = "Bundle file.")
    Path file;

    @Option(names = "--cosign-dir", required = true, description = {
        "Directory to create (absent or empty); one layout per image in <registry_path>/sha256-<hex>."})
    Path out;

    @Option(names = "--transfer-key", required = true, description = "PRODUCER=PEM file of a trusted transfer key, repeatable.")
    List<String> keys;

    @Option(names = "--trusted-root", description = "Also verify the evidence against this trust root; export only the images that pass.")
    Path trustedRoot;

    @Override
    public Integer call() throws Exception {
      if (Files.exists(out) && (!Files.isDirectory(out) || hasEntries(out))) {
        return fail(new java.io.IOException(out + " exists and is not an empty directory; nothing written"));
      }
      Path abs = out.toAbsolutePath();
      Path tmp = Files.createTempDirectory(abs.getParent(), "." + abs.getFileName() + ".tmp-");
      try {
        Path spool = Files.createDirectory(tmp.resolve(".spool"));
        OpenedBundle b;
        try (InputStream in = Files.newInputStream(file)) {
          b = BundleReader.open(in, BundleLimits.defaults(), transferKeys(keys)).readBlobs(Optional.of(spool));
        } catch (BundleFormatException | TransferRejectedException e) {
          System.err.println("refused: " + e.getMessage());
          return 2;
        } catch (java.nio.file.NoSuchFileException e) {
          return fail(new java.io.IOException("no such file: " + e.getFile()));
        }
        TransferStatement s = b.statement();
        List<TransferStatement.Image> images = new ArrayList<>(s.images());
        int excluded = 0;
        if (trustedRoot != null) {
          TrustedRoot site = TrustedRoot.read(trustedRoot);
          TrustedRoot root = s.trustedRoot().isPresent()
              ? Inspect.mergeForInspect(site, TrustedRoot.parse(b.blob(s.trustedRoot().get()).orElseThrow())) : site;
          EvidenceCheck.Result r = EvidenceCheck.verify(b, root, Instant.now(), Runtime.getRuntime().availableProcessors());
          images.clear();
          for (int i = 0; i < s.images().size(); i++) {
            EvidenceCheck.ImageReport ir = r.images().get(i);
            if (ir.accepted()) {
              images.add(s.images().get(i));
            } else {
              excluded++;
              System.out.printf("  EXCLUDED  %s@%s%n", ir.repository(), ir.digest());
              ir.problems().forEach(p -> System.out.println("      " + p));
            }
          }
        }
        for (TransferStatement.Image i : images) {
          if (!CosignLayoutWriter.writable(i)) {
            System.out.printf("  skipped   %s@%s: only Sigstore-bundle referrers, which a cosign layout cannot hold%n",
                i.repository(), i.digest());
          }
        }
        List<CosignLayoutWriter.Written> written = CosignLayoutWriter.write(b, images, tmp);
        deleteTree(spool);
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        System.out.printf("bundle %s (producer %s, sequence %d): %d cosign layouts in %s%n", b.bundleDigest(),
            s.producer(), s.sequence(), written.size(), out);
        for (CosignLayoutWriter.Written w : written) {
          Path dir = out.resolve(tmp.relativize(w.dir()));
          System.out.printf("  %s@%s: %s%s%s%s%n", w.image().repository(), w.image().digest(),
              w.imageIncluded() ? "image, " : "image not carried, ",
              w.image().signatures().isPresent() ? "signatures" : "no signatures",
              w.image().attestations().isPresent() ? ", attestations" : ", no attestations",
              w.referrersLeftOut() > 0 ? ", " + w.referrersLeftOut() + " Sigstore-bundle referrers left out" : "");
          System.out.printf("    cosign load --dir %s REGISTRY/%s@%s%n", dir, w.path(), w.image().digest());
        }
        return excluded == 0 ? 0 : 1;
      } finally {
        if (Files.exists(tmp)) {
          deleteTree(tmp);
        }
      }
    }

    private static boolean hasEntries(Path dir) throws java.io.IOException {
      try (java.util.stream.Stream<Path> s = Files.list(dir)) {
        return s.findAny().isPresent();
      }
    }

    private static void deleteTree(Path root) throws java.io.IOException {
      try (java.util.stream.Stream<Path> s = Files.walk(root)) {
        for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }
}
