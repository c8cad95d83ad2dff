package dev.airseal.log.rekor.kind;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Inputs from sigstore/rekor's own tests (vectors/rekor/README.md), each with the outcome upstream
 * records or implies. Failures are collected and asserted once; the tally is printed.
 */
class RekorUpstreamVectorsTest {
  private final List<String> failures = new ArrayList<>();
  private int accepted;
  private int rejected;

  @Test
  void canonicalize_matchesUpstreamOutcomes() throws Exception {
    Path rekor = RekorVectors.dir().resolve("rekor");
    Path models = rekor.resolve("pkg/generated/models/testdata");
    expect("models/hashedrekord.json", read(models.resolve("hashedrekord.json")), true);
    expect("models/dsse.json", read(models.resolve("dsse.json")), true);
    // Shaped like intoto 0.0.1 (envelope as a string) under apiVersion 0.0.2.
    expect("models/intoto.json", read(models.resolve("intoto.json")), false);

    Path algos = rekor.resolve("tests/client-algos-testdata");
    String ec = Files.readString(algos.resolve("ec_public.pem"));
    String rsa = Files.readString(algos.resolve("rsa_public.pem"));
    String ed = Files.readString(algos.resolve("ed25519_public.pem"));
    byte[] file1 = Files.readAllBytes(algos.resolve("file1"));
    byte[] file2 = Files.readAllBytes(algos.resolve("file2"));
    expect("file1.ec.sig sha256", hr("sha256", file1, algos.resolve("file1.ec.sig"), ec), true);
    expect("file2.ec.sig sha256", hr("sha256", file2, algos.resolve("file2.ec.sig"), ec), true);
    expect("file1.rsa.sig sha256", hr("sha256", file1, algos.resolve("file1.rsa.sig"), rsa), true);
    expect("file2.rsa.sig sha256", hr("sha256", file2, algos.resolve("file2.rsa.sig"), rsa), true);
    expect("file2.rsa512.sig sha512", hr("sha512", file2, algos.resolve("file2.rsa512.sig"), rsa), true);
    expect("file2.rsa512.sig as sha256", hr("sha256", file2, algos.resolve("file2.rsa512.sig"), rsa), false);
    expect("file1.ec.sig over file2", hr("sha256", file2, algos.resolve("file1.ec.sig"), ec), false);
    expect("file1.ed25519ph.sig sha512", hr("sha512", file1, algos.resolve("file1.ed25519ph.sig"), ed), true);
    // Pure Ed25519 signs the file, which a hashedrekord cannot carry.
    expect("file1.ed25519.sig sha512", hr("sha512", file1, algos.resolve("file1.ed25519.sig"), ed), false);
    expect("file1.ec.sig with rsa key", hr("sha256", file1, algos.resolve("file1.ec.sig"), rsa), false);

    Path x509 = rekor.resolve("pkg/pki/x509/testdata");
    expect(
        "x509 hello_world",
        hr("sha256", Files.readAllBytes(x509.resolve("hello_world.txt")), x509.resolve("hello_world.txt.sig"),
            Files.readString(x509.resolve("ec.pub"))),
        true);

    String env = Files.readString(rekor.resolve("tests/intoto_dsse.json"));
    String pem = Files.readString(rekor.resolve("tests/intoto_dsse.pem"));
    String multi = Files.readString(rekor.resolve("cmd/rekor-cli/app/tests/intoto_multi_dsse.json"));
    String pub2 = Files.readString(rekor.resolve("cmd/rekor-cli/app/tests/intoto_multi_pub2.pem"));
    expect("dsse intoto_dsse.json", Fixtures.dsse(env, pem), true);
    expect("dsse intoto_multi_dsse.json both keys", Fixtures.dsse(multi, pem, pub2), true);
    expect("dsse intoto_multi_dsse.json one key", Fixtures.dsse(multi, pub2), false);
    expect("dsse intoto_dsse.json wrong key", Fixtures.dsse(env, pub2), false);
    expect("intoto intoto_dsse.json", Intotos.proposed(env, pem), true);
    expect("intoto intoto_multi_dsse.json", Intotos.proposed(multi, pem, pub2), true);
    // Rekor pools the keys of all signatures (intoto/v0.0.2 verifyEnvelope), so the key stored next
    // to a signature need not be the one that verified it.
    expect("intoto intoto_multi_dsse.json keys swapped", Intotos.proposed(multi, pub2, pem), true);
    expect("intoto intoto_multi_dsse.json one key twice", Intotos.proposed(multi, pub2, pub2), false);

    System.out.printf("rekor upstream vectors: %d accepted, %d rejected, %d wrong%n", accepted, rejected, failures.size());
    assertThat(failures).isEmpty();
  }

  private static JsonNode read(Path p) throws Exception {
    return Fixtures.JSON.readTree(p.toFile());
  }

  private static JsonNode hr(String alg, byte[] file, Path sig, String pem) throws Exception {
    String jca = alg.equals("sha256") ? "SHA-256" : "SHA-512";
    return Fixtures.hashedrekord(alg, MessageDigest.getInstance(jca).digest(file), Files.readAllBytes(sig), pem);
  }

  private void expect(String name, JsonNode proposed, boolean accept) {
    try {
      CanonicalEntry e = EntryTypes.canonicalize(proposed);
      if (accept) {
        accepted++;
        assertThat(e.body()).isNotEmpty();
      } else {
        failures.add(name + ": accepted, want rejection; body " + new String(e.body(), StandardCharsets.UTF_8));
      }
    } catch (InvalidEntryException ex) {
      if (accept) {
        failures.add(name + ": rejected, want acceptance: " + ex.getMessage());
      } else {
        rejected++;
        System.out.println("rejected " + name + ": " + ex.getMessage());
      }
    }
  }
}
