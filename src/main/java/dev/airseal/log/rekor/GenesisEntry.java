package dev.airseal.log.rekor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.crypto.Ecdsa;
import dev.airseal.log.Hex;
import dev.airseal.log.TransparencyLog;
import dev.airseal.log.rekor.kind.CanonicalEntry;
import dev.airseal.log.rekor.kind.EntryTypes;
import dev.airseal.log.rekor.kind.InvalidEntryException;
import dev.airseal.log.sequencer.EntryDraft;
import dev.airseal.signing.Signer;
import dev.airseal.signing.soft.KeyFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The entry a new log starts with, at index 0: a {@code hashedrekord} signed by the log's own key
 * over {@code airseal log genesis\n<origin>\n}. The origin names the tree ID, so the statement is
 * this log's alone, and {@link #isGenesis} can tell it from a client's entry offline (a restore
 * onto a fresh install must not take it for data to protect).
 *
 * <p>cosign 2.x (sigstore-go's {@code tlog.ParseEntry}) treats a log index of 0 as a missing field
 * and refuses the entry ("validation error: nil value in transaction log entry"). On a public log
 * nobody meets index 0; on a new site log the first signature would, and cosign could never verify
 * it. So the log takes that index itself, with an ordinary entry rekor-cli and monitors read like
 * any other.
 */
public final class GenesisEntry {
  static final String STATEMENT = "airseal log genesis";
  private static final long WAIT_SECONDS = 60;

  private GenesisEntry() {}

  /**
   * Appends the genesis entry if {@code log} is empty and sequenced here; returns its index, or
   * empty when the log already has entries or the key is not ECDSA (hashedrekord checks an ECDSA
   * or RSA signature over the artifact digest; the log signs checkpoints with ECDSA keys).
   */
  static Optional<Long> appendIfEmpty(TransparencyLog log, Signer signer) {
    if (!log.sequencing() || log.published().tree().size() != 0 || !signer.algorithm().isEcdsa()) {
      return Optional.empty();
    }
    try {
      long index = log.append(draft(log.origin(), signer)).get(WAIT_SECONDS, TimeUnit.SECONDS).entry().index();
      return Optional.of(index);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while logging the genesis entry", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot log the genesis entry: " + e, e);
    }
  }

  static EntryDraft draft(String origin, Signer signer) {
    byte[] statement = statement(origin);
    String digest = signer.algorithm().digest();
    ObjectMapper json = new ObjectMapper();
    ObjectNode proposal = json.createObjectNode();
    proposal.put("apiVersion", "0.0.1");
    proposal.put("kind", "hashedrekord");
    ObjectNode spec = proposal.putObject("spec");
    ObjectNode hash = spec.putObject("data").putObject("hash");
    hash.put("algorithm", digest.replace("-", "").toLowerCase(java.util.Locale.ROOT));
    hash.put("value", Hex.encode(Ecdsa.digest(digest, statement)));
    ObjectNode signature = spec.putObject("signature");
    signature.put("content", Base64.getEncoder().encodeToString(signer.sign(statement)));
    try {
      signature
          .putObject("publicKey")
          .put("content", Base64.getEncoder().encodeToString(
              KeyFiles.publicKeyPem(signer.publicKey()).getBytes(StandardCharsets.US_ASCII)));
      // The same checks and canonical body as any client's entry: one path into the log.
      CanonicalEntry c = EntryTypes.canonicalize(proposal);
      return EntryDraft.of(c.kind(), c.apiVersion(), c.body(), c.indexKeys());
    } catch (IOException | InvalidEntryException e) {
      throw new IllegalStateException("cannot build the genesis entry: " + e.getMessage(), e);
    }
  }

  static byte[] statement(String origin) {
    return (STATEMENT + "\n" + origin + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Whether {@code canonicalBody} is the genesis entry of the log named {@code origin}: a
   * hashedrekord over that log's statement.
   */
  public static boolean isGenesis(byte[] canonicalBody, String origin) {
    try {
      JsonNode hash = new ObjectMapper().readTree(canonicalBody).path("spec").path("data").path("hash");
      String jca = switch (hash.path("algorithm").asText()) {
        case "sha256" -> "SHA-256";
        case "sha384" -> "SHA-384";
        case "sha512" -> "SHA-512";
        default -> null;
      };
      return jca != null && hash.path("value").asText().equals(Hex.encode(Ecdsa.digest(jca, statement(origin))));
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
