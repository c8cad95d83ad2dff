package dev.airseal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airseal.bundle.BundleContent;
import dev.airseal.trust.TrustRootException;
import dev.airseal.trust.TrustedRoot;
import dev.airseal.tuf.TufHashes;
import dev.airseal.tuf.client.TufException;
import dev.airseal.tuf.client.TufVerifier;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code bundle create --tuf-mirror DIR}: reads a TUF repository directory as a mirror serves it
 * (what {@code cosign initialize} fetches: {@code N.root.json}, {@code timestamp.json},
 * {@code N.snapshot.json}, {@code N.targets.json}, {@code targets/<sha256>.trusted_root.json}),
 * checks it here with the same client the site runs (a broken mirror is better caught before the
 * USB trip), and adds the root chain, timestamp, snapshot, targets and the trusted_root.json target.
 */
final class TufMirrorCarrier {
  static final String TARGET = "trusted_root.json";
  private static final Pattern ROOT = Pattern.compile("([1-9][0-9]{0,9})\\.root\\.json");
  private static final ObjectMapper JSON = new ObjectMapper();

  private TufMirrorCarrier() {}

  /** @param fromVersion the first root version to carry (the site's, if it has a newer one than 1) */
  static void carry(BundleContent content, Path dir, int fromVersion, Instant now, PrintStream progress)
      throws IOException {
    int latest = 0;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Matcher m = ROOT.matcher(p.getFileName().toString());
        if (m.matches()) {
          latest = Math.max(latest, Integer.parseInt(m.group(1)));
        }
      }
    }
    if (latest == 0) {
      throw new IOException(dir + " holds no N.root.json: not a TUF mirror directory");
    }
    if (fromVersion < 1 || fromVersion > latest) {
      throw new IOException("--tuf-from-root-version " + fromVersion + ": the mirror's roots go from 1 to " + latest);
    }
    List<byte[]> roots = new ArrayList<>();
    for (int v = fromVersion; v <= latest; v++) {
      roots.add(read(dir, v + ".root.json"));
    }
    byte[] timestamp = read(dir, "timestamp.json");
    long snapshotVersion = JSON.readTree(timestamp).path("signed").path("meta").path("snapshot.json").path("version")
        .asLong();
    byte[] snapshot = consistent(dir, snapshotVersion, "snapshot.json");
    long targetsVersion = JSON.readTree(snapshot).path("signed").path("meta").path("targets.json").path("version")
        .asLong();
    byte[] targets = consistent(dir, targetsVersion, "targets.json");
    JsonNode info = JSON.readTree(targets).path("signed").path("targets").path(TARGET);
    String sha256 = info.path("hashes").path("sha256").asText("");
    Path hashed = dir.resolve("targets").resolve(sha256 + "." + TARGET);
    byte[] target = !sha256.isEmpty() && Files.isRegularFile(hashed) ? Files.readAllBytes(hashed)
        : read(dir, "targets/" + TARGET);
    TufVerifier.Result r;
    try {
      r = TufVerifier.verify(new TufVerifier.Trusted(roots.get(0), 0, 0, 0),
          new TufVerifier.Carried(roots, timestamp, snapshot, targets, TARGET, target), now);
    } catch (TufException e) {
      throw new IOException("the TUF mirror in " + dir + " does not verify from its root version " + fromVersion
          + "; no bundle written: " + e.getMessage(), e);
    }
    String mediaType;
    try {
      mediaType = TrustedRoot.parse(target).mediaType();
    } catch (TrustRootException e) {
      throw new IOException("TUF target " + TARGET + " in " + dir + " is not a trusted root: " + e.getMessage(), e);
    }
    content.tuf(roots, timestamp, snapshot, targets, TARGET, target, mediaType);
    progress.printf("  TUF mirror %s: roots %d..%d, timestamp %d, snapshot %d, targets %d, %s %s%n", dir,
        fromVersion, latest, r.timestamp(), r.snapshot(), r.targets(), TARGET, TufHashes.sha256Hex(target));
  }

  // Consistent snapshots name the file by version; a repository without them serves the plain name.
  private static byte[] consistent(Path dir, long version, String name) throws IOException {
    Path v = dir.resolve(version + "." + name);
    return Files.isRegularFile(v) ? Files.readAllBytes(v) : read(dir, name);
  }

  private static byte[] read(Path dir, String name) throws IOException {
    Path p = dir.resolve(name);
    if (!Files.isRegularFile(p)) {
      throw new IOException("the TUF mirror in " + dir + " has no " + name);
    }
    return Files.readAllBytes(p);
  }
}
