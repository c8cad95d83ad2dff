package dev.airseal.log.rekor.kind;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Byte compatibility with bodies real Rekor instances stored: each body (or, for the DSSE kinds, a
 * proposed entry rebuilt from the bundle that carries it) is canonicalized again and must come out
 * as the same bytes. Failures are collected and asserted once, with a tally per source.
 */
class RekorBodyVectorsTest {
  private final Map<String, int[]> tally = new TreeMap<>(); // kind -> {matched, skipped}
  private final List<String> failures = new ArrayList<>();

  @Test
  void canonicalize_reproducesStoredBodies() throws Exception {
    Path dir = RekorVectors.dir();
    Path responses = dir.resolve("sigstore-java/resources/samples/rekor-response/valid");
    try (Stream<Path> files = Files.list(responses)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        JsonNode root = Fixtures.JSON.readTree(f.toFile());
        // Rekor v1 responses are {uuid: {body, ...}}; v2 entries have no stored body.
        if (root.has("canonicalizedBody")) {
          check("response " + f.getFileName(), Base64.getDecoder().decode(root.get("canonicalizedBody").textValue()), null);
        }
        for (JsonNode entry : root) {
          if (entry.has("body")) {
            check("response " + f.getFileName(), Base64.getDecoder().decode(entry.get("body").textValue()), null);
          }
        }
      }
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(RekorBodyVectorsTest::isBundle).sorted().toList()) {
        JsonNode bundle;
        try {
          bundle = Fixtures.JSON.readTree(f.toFile());
        } catch (Exception e) {
          continue;
        }
        for (JsonNode entry : bundle.path("verificationMaterial").path("tlogEntries")) {
          if (entry.has("canonicalizedBody")) {
            check(dir.relativize(f).toString(), Base64.getDecoder().decode(entry.get("canonicalizedBody").textValue()), bundle);
          }
        }
      }
    }
    tally.forEach((k, v) -> System.out.printf("rekor bodies %-16s matched %3d, not comparable %3d%n", k, v[0], v[1]));
    System.out.printf("rekor bodies failures %d%n", failures.size());
    assertThat(failures).isEmpty();
  }

  private static boolean isBundle(Path p) {
    String name = p.getFileName().toString();
    return Files.isRegularFile(p) && (name.endsWith(".sigstore.json") || name.endsWith(".sigstore") || name.startsWith("bundle"));
  }

  // Fixtures that were tampered with on purpose carry bodies no Rekor ever stored.
  private static boolean deliberatelyBroken(String source) {
    return source.matches("(?i).*(_fail|bad|mismatch|invalid|tamper|wrong).*");
  }

  private void check(String source, byte[] stored, JsonNode bundle) throws Exception {
    JsonNode body = Fixtures.JSON.readTree(stored);
    String kind = body.path("kind").asText() + " " + body.path("apiVersion").asText();
    int[] t = tally.computeIfAbsent(kind, k -> new int[2]);
    JsonNode proposed;
    JsonNode expected = body;
    switch (kind) {
      case "hashedrekord 0.0.1" -> proposed = body; // the stored body is a valid proposed entry
      case "hashedrekord 0.0.2" -> {
        // Rekor v2: rebuild the request the client sent from the stored entry.
        JsonNode v = body.path("spec").path("hashedRekordV002");
        ObjectNode r = Fixtures.JSON.createObjectNode();
        ObjectNode req = r.putObject("hashedRekordRequestV002");
        req.set("digest", v.path("data").path("digest"));
        req.set("signature", v.path("signature"));
        proposed = r;
      }
      case "intoto 0.0.2" -> {
        JsonNode env = bundle == null ? null : bundle.get("dsseEnvelope");
        if (env == null) {
          t[1]++;
          return;
        }
        ObjectNode p = body.deepCopy();
        ObjectNode e = p.with("spec").with("content").with("envelope");
        e.put("payload", Fixtures.b64(env.get("payload").textValue()));
        proposed = p;
        if (body.path("spec").path("content").path("envelope").has("payload")) {
          // Older Rekor releases also stored the payload; today's Canonicalize drops it.
          ObjectNode x = body.deepCopy();
          x.with("spec").with("content").with("envelope").remove("payload");
          expected = x;
        }
      }
      case "dsse 0.0.1" -> {
        JsonNode env = bundle == null ? null : bundle.get("dsseEnvelope");
        String cert = bundleCertPem(bundle);
        if (env == null || cert == null) {
          t[1]++;
          return;
        }
        proposed = Fixtures.dsse(env.toString(), cert);
        // The envelope hash covers the client's exact serialization, which the bundle does not
        // keep; everything else must match.
        ObjectNode x = body.deepCopy();
        expected = x;
        proposedEnvelopeHashFrom = body.path("spec").path("envelopeHash").path("value").asText();
      }
      default -> {
        t[1]++;
        return;
      }
    }
    try {
      CanonicalEntry got =
          kind.equals("hashedrekord 0.0.2")
              ? EntryTypes.canonicalizeV2(proposed)
              : EntryTypes.canonicalize(proposed);
      byte[] gotBody = got.body();
      if (kind.equals("dsse 0.0.1")) {
        ObjectNode g = (ObjectNode) Fixtures.JSON.readTree(gotBody);
        g.with("spec").with("envelopeHash").put("value", proposedEnvelopeHashFrom);
        gotBody = dev.airseal.crypto.CanonicalJson.encode(g);
      }
      byte[] want = expected == body ? stored : dev.airseal.crypto.CanonicalJson.encode(expected);
      if (new String(gotBody, StandardCharsets.UTF_8).equals(new String(want, StandardCharsets.UTF_8))) {
        t[0]++;
      } else if (!deliberatelyBroken(source)) {
        failures.add(source + ": bytes differ\n got " + new String(gotBody, StandardCharsets.UTF_8) + "\nwant " + new String(want, StandardCharsets.UTF_8));
      } else {
        t[1]++;
        System.out.println("differs as expected: " + source);
      }
    } catch (InvalidEntryException e) {
      if (deliberatelyBroken(source)) {
        t[1]++;
        System.out.println("rejected as expected: " + source + ": " + e.getMessage());
      } else {
        failures.add(source + " (" + kind + "): " + e.getMessage());
      }
    }
  }

  private String proposedEnvelopeHashFrom;

  private static String bundleCertPem(JsonNode bundle) {
    JsonNode vm = bundle.path("verificationMaterial");
    String raw = vm.path("certificate").path("rawBytes").asText(null);
    if (raw == null) {
      raw = vm.path("x509CertificateChain").path("certificates").path(0).path("rawBytes").asText(null);
    }
    if (raw == null) {
      return null;
    }
    return new String(RekorKey.Pem.encode("CERTIFICATE", Base64.getDecoder().decode(raw)), StandardCharsets.US_ASCII);
  }
}
